# ruff: noqa: F811 (the fixtures imported from test_admin_review are used as arguments)
"""The W1 review page: the decisions on the page itself, the photos to look at, the history in the
staff member's language and the tenant's clock; the bulk Accept asks first."""

import datetime

import pytest
from django.urls import reverse

from applications.models import ApplicationEvent, Status
from portal.urls_helpers import tenant_reverse
from tests.portal.factories import login_verified_staff
from tests.readings.test_admin_review import account, application, staff  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def change_url(application):
    return reverse("admin:readings_readingsapplication_change", args=[application.pk])


@pytest.fixture
def reviewer(client, tenant, branch):
    user = staff(tenant, [branch], "reviewer@azersu.test")
    login_verified_staff(client, user)
    return user


def test_the_review_page_has_accept_reject_and_on_site_check_buttons(client, reviewer, application):
    page = client.get(change_url(application)).content.decode()
    assert 'id="readings-decision"' in page
    for action in ["accept", "reject", "send_to_on_site_check"]:
        assert f'form="readings-decision" name="action" value="{action}"' in page


def test_the_reject_button_asks_for_the_reason(client, reviewer, application):
    # What the button posts: this one application to the list's action.
    data = {"action": "reject", "_selected_action": str(application.pk), "index": "0", "select_across": "0"}
    page = client.post(reverse("admin:readings_readingsapplication_changelist"), data).content.decode()
    assert 'name="reason"' in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_on_site_button_asks_for_the_reason_then_sends(client, reviewer, application):
    url = reverse("admin:readings_readingsapplication_changelist")
    data = {"action": "send_to_on_site_check", "_selected_action": str(application.pk), "index": "0"}
    assert 'name="reason"' in client.post(url, data).content.decode()
    client.post(url, {**data, "apply": "1", "reason": "The reading contradicts the database."})
    application.refresh_from_db()
    assert application.status == Status.ON_SITE_CHECK


def test_no_decision_buttons_once_decided(client, reviewer, application):
    application.status = Status.EXECUTED
    application.save(update_fields=["status"])
    assert 'form="readings-decision"' not in client.get(change_url(application)).content.decode()


def test_the_photo_is_shown_as_a_thumbnail_through_the_checked_view(client, reviewer, tenant, application):
    line = application.reading_lines.get()
    photo_url = tenant_reverse(tenant, "readings:submission_photo", kwargs={"pk": line.pk})
    page = client.get(change_url(application)).content.decode()
    assert f'<img class="reading-photo-thumbnail" src="{photo_url}"' in page
    assert client.get(photo_url).status_code == 200


def test_the_history_is_in_the_staff_language_and_the_tenants_time_zone(client, tenant, branch, application):
    russian = staff(tenant, [branch], "ru-reviewer@azersu.test")
    russian.preferred_language = "ru"
    russian.save()
    login_verified_staff(client, russian)
    tenant.timezone = "Asia/Baku"  # UTC+4
    tenant.save()
    event = application.events.get(kind=ApplicationEvent.Kind.STATUS)
    ApplicationEvent.objects.filter(pk=event.pk).update(at=datetime.datetime(2026, 3, 2, 22, 30, tzinfo=datetime.UTC))

    page = client.get(change_url(application)).content.decode()
    when = page[page.index('class="field-when"') :]
    assert when[: when.index("</td>")].split("<p>")[1].startswith("3 марта 2026 г. 2:30")  # the next day in Baku
    what = page[page.index('class="field-what"') :]
    assert "Подано" in what[: what.index("</td>")]


def test_bulk_accept_asks_for_confirmation(client, reviewer, application):
    url = reverse("admin:readings_readingsapplication_changelist")
    page = client.post(url, {"action": "accept", "_selected_action": [application.pk]}).content.decode()
    assert application.number in page and 'name="apply"' in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
