"""The public status check: number + subscriber code reveal the status and its date, nothing more."""

import pytest
from django.conf import settings

from applications import services
from applications.models import Status
from applications.views import STATUS_CHECK_LIMIT
from portal.urls_helpers import tenant_reverse
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

NEUTRAL_ERROR = "We found no application with this number and subscriber code. Check both."


@pytest.fixture
def url(tenant):
    return tenant_reverse(tenant, "applications:status_check")


@pytest.fixture
def application(submit):
    application, _ = submit(notes="The meter is in the basement.", contact_phone="+994501234567")
    staff = UserFactory(full_name="Elnur Huseynov", is_staff=True)
    services.transition(application=application, to_status=Status.IN_REVIEW, actor=staff)
    return application


def check(client, url, number, code, **extra):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the tenant's default would be Azerbaijani
    return client.post(url, {"number": number, "subscriber_code": code}, **extra)


def test_anyone_with_number_and_code_sees_only_the_status_and_its_date(client, url, application, account, user):
    page = check(client, url, application.number.lower(), f" {account.code} ")

    text = page.content.decode()
    assert page.status_code == 200
    assert '<span class="status status-in_review">In review</span>' in text
    assert "Since" in text
    for secret in (
        account.holder_name,
        account.address,
        user.full_name,
        user.email,
        "basement",
        "+994501234567",
        "Elnur",
        account.branch.name,
    ):
        assert secret not in text


@pytest.mark.parametrize("wrong", ["number", "code"])
def test_a_wrong_number_or_code_gives_the_same_neutral_error(client, url, application, account, wrong):
    number = "AZS-2026-999999" if wrong == "number" else application.number
    code = "0000000" if wrong == "code" else account.code

    text = check(client, url, number, code).content.decode()

    assert NEUTRAL_ERROR in text
    assert "status-in_review" not in text


def test_an_application_of_another_tenant_is_not_found(client, other_tenant, application, account):
    url = tenant_reverse(other_tenant, "applications:status_check")

    assert NEUTRAL_ERROR in check(client, url, application.number, account.code).content.decode()


def test_repeated_wrong_tries_pause_the_check_even_for_a_right_pair(client, url, application, account):
    for _ in range(STATUS_CHECK_LIMIT):
        assert check(client, url, application.number, "0000000").status_code == 200

    page = check(client, url, application.number, account.code)

    text = page.content.decode()
    assert page.status_code == 429
    assert "Too many attempts" in text
    assert "the check pauses for 10 minutes" in text
    assert "status-in_review" not in text


def test_the_pause_applies_to_one_address_only(client, url, application, account):
    for _ in range(STATUS_CHECK_LIMIT):
        check(client, url, application.number, "0000000", REMOTE_ADDR="10.0.0.1")

    page = check(client, url, application.number, account.code, REMOTE_ADDR="10.0.0.2")

    assert page.status_code == 200
    assert "status-in_review" in page.content.decode()


def test_right_answers_do_not_count_towards_the_pause(client, url, application, account):
    for _ in range(STATUS_CHECK_LIMIT + 2):
        page = check(client, url, application.number, account.code)

    assert page.status_code == 200


def test_the_check_needs_no_login_and_explains_the_pause(client, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = client.get(url).content.decode()

    assert 'name="number"' in text and 'name="subscriber_code"' in text
    assert f"after {STATUS_CHECK_LIMIT} wrong attempts" in text
