""" "My applications": the list, the detail page with its timeline, withdrawal and isolation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import date_format

from applications import services
from applications.models import Status
from portal.urls_helpers import tenant_reverse
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.meters.factories import SubscriberAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(email="reviewer@azersu.example", full_name="Elnur Huseynov", is_staff=True)


@pytest.fixture
def citizen(client, user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    return client


def detail_url(application):
    return tenant_reverse(application.tenant, "applications:detail", kwargs={"number": application.number})


def test_the_list_shows_number_kind_status_and_due_date_of_my_applications_only(citizen, submit, other_user, tenant):
    mine, _ = submit()
    theirs, _ = submit(applicant=other_user)

    page = citizen.get(tenant_reverse(tenant, "applications:my_list"))

    text = page.content.decode()
    assert page.status_code == 200
    assert mine.number in text
    assert theirs.number not in text
    assert "Application or claim" in text
    assert '<span class="status status-submitted">Submitted</span>' in text
    with translation.override("en"):
        assert date_format(mine.due_on, "SHORT_DATE_FORMAT") in text


def test_the_list_needs_a_login(client, tenant):
    page = client.get(tenant_reverse(tenant, "applications:my_list"))

    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_one_or_thirty_applications(
    citizen, submit, tenant, django_assert_max_num_queries
):
    url = tenant_reverse(tenant, "applications:my_list")
    submit()
    with_one = count_queries(citizen, url)
    for _ in range(29):
        submit(account=SubscriberAccountFactory(tenant=tenant))

    with django_assert_max_num_queries(with_one):
        assert citizen.get(url).content.decode().count("status-submitted") == 30


def test_the_detail_shows_the_timeline_without_staff_names(citizen, submit, staff):
    application, _ = submit(notes="Please call before coming.")
    services.transition(application=application, to_status=Status.IN_REVIEW, actor=staff)
    services.transition(
        application=application, to_status=Status.WAITING_FOR_APPLICANT, actor=staff, note="Send a sharper photo."
    )

    text = citizen.get(detail_url(application)).content.decode()

    assert f"Application {application.number}" in text
    assert "Waiting for the applicant" in text
    assert text.count("Utility staff") == 2
    assert "Send a sharper photo." in text
    assert "Elnur" not in text
    assert "Please call before coming." in text  # the default kind details


def test_the_detail_costs_the_same_queries_with_many_events(citizen, submit, staff, django_assert_max_num_queries):
    application, _ = submit()
    url = detail_url(application)
    with_one = count_queries(citizen, url)
    for n in range(20):
        services.add_comment(application=application, actor=staff, note=f"Update {n}", public=True)

    with django_assert_max_num_queries(with_one):
        assert "Update 19" in citizen.get(url).content.decode()


def test_the_applicant_withdraws_a_submitted_application_from_its_page(citizen, submit):
    application, _ = submit()
    assert "Withdraw the application" in citizen.get(detail_url(application)).content.decode()

    confirmation = citizen.get(detail_url(application) + "withdraw/")
    assert f"Withdraw application {application.number}?" in confirmation.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED  # asking is not withdrawing

    page = citizen.post(detail_url(application) + "withdraw/", {"confirm": "withdraw"}, follow=True)

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert f"Your application {application.number} is withdrawn." in page.content.decode()
    assert "Withdraw the application" not in page.content.decode()


def test_a_post_without_the_confirmation_only_shows_the_confirmation_page(citizen, submit):
    application, _ = submit()
    page = citizen.post(detail_url(application) + "withdraw/")

    assert page.status_code == 200 and "Yes, withdraw it" in page.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_no_withdraw_button_once_the_review_has_started(citizen, submit, staff):
    application, _ = submit()
    services.transition(application=application, to_status=Status.IN_REVIEW, actor=staff)

    assert "Withdraw the application" not in citizen.get(detail_url(application)).content.decode()


def test_another_users_application_is_not_found(citizen, submit, other_user):
    theirs, _ = submit(applicant=other_user)

    assert citizen.get(detail_url(theirs)).status_code == 404
    assert citizen.post(detail_url(theirs) + "withdraw/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.SUBMITTED


def test_an_application_of_another_tenant_is_not_found_under_this_tenant(citizen, user, tenant, other_tenant):
    elsewhere = ApplicationFactory(tenant=other_tenant, applicant=user, number="IZH-2026-000001")

    url = tenant_reverse(tenant, "applications:detail", kwargs={"number": elsewhere.number})

    assert citizen.get(url).status_code == 404
    assert citizen.get(detail_url(elsewhere)).status_code == 200
