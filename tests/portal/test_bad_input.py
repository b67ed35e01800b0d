"""Bad input answered with a page, never a 500: long e-mails at login, NUL bytes in hidden fields,
impossible periods and years in addresses, malformed admin parameters, a session lost after a
committed submission."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.throttling import username_for_axes
from applications.models import Application
from portal.urls_helpers import tenant_reverse
from readings import views as readings_views
from tests.accounts.factories import UserFactory
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import water_tenant
from tests.meters.factories import account_with_history
from tests.portal.factories import StaffMembershipFactory, login_verified_staff
from tests.readings.helpers import form_data, line_data

pytestmark = pytest.mark.django_db
LONG_EMAIL = "a" * 65 + "@" + ".".join(["b" * 60] * 3) + ".example"  # 256 characters, a valid shape


def test_the_long_address_is_256_characters():
    assert len(LONG_EMAIL) == 256


def test_a_256_character_email_on_the_portal_login_is_refused_with_a_message(client):
    response = client.post(reverse("accounts:login"), {"email": LONG_EMAIL, "password": "x"})
    assert response.status_code == 200
    assert all(len(attempt.username) <= 255 for attempt in AccessAttempt.objects.all())


def test_a_256_character_email_on_the_admin_login_is_refused_with_a_message(client):
    response = client.post("/admin/login/?next=/admin/", {"username": LONG_EMAIL, "password": "x", "otp_token": ""})
    assert response.status_code == 200
    assert all(len(attempt.username) <= 255 for attempt in AccessAttempt.objects.all())


def test_axes_never_gets_a_username_longer_than_its_column(rf):
    assert len(username_for_axes(rf.post("/", {"username": "A" * 300}))) == 255
    assert username_for_axes(None, {"username": " Ann@X.az "}) == "ann@x.az"


@pytest.fixture
def readings_form(client, user, tenant, branch):
    client.force_login(user)
    account = account_with_history(tenant, branch)
    client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code})
    return tenant_reverse(tenant, "readings:submit_readings_form")


def test_a_nul_byte_in_the_idempotency_key_is_a_form_error(client, readings_form, user):
    user.preferred_language = "en"
    user.save()
    response = client.post(readings_form, {**form_data(line_data()), "idempotency_key": "abc\x00def"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The form has expired" in page or "Null characters are not allowed" in page
    assert not Application.objects.exists()


def test_a_nul_byte_in_the_idempotency_key_is_not_carried_on_by_add_another_meter(client, readings_form):
    data = {**form_data(line_data()), "idempotency_key": "abc\x00def", "add_line": "1"}
    response = client.post(readings_form, data)
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_a_nul_byte_in_a_text_field_is_a_form_error(client, readings_form):
    response = client.post(readings_form, {**form_data(line_data()), "notes": "a\x00b", "contact_phone": "\x00"})
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_a_session_lost_after_a_committed_submission_shows_the_application_number(client, readings_form, monkeypatch):
    real_submit = readings_views.submit_readings

    def submit_then_lose_the_session(**kwargs):
        application = real_submit(**kwargs)
        Session.objects.all().delete()  # logged out in another tab while the readings were registered
        return application

    monkeypatch.setattr(readings_views, "submit_readings", submit_then_lose_the_session)
    response = client.post(readings_form, form_data(line_data()))
    application = Application.objects.get()
    assert response.status_code == 200
    assert application.number in response.content.decode()


@pytest.fixture
def cabinet_contract(client, user):
    tenant = water_tenant()
    contract = linked_contract(tenant, user, readings_deadline_day=8, hot_water_deadline_day=6)
    client.force_login(user)
    return tenant, contract


@pytest.mark.parametrize(
    "name, query",
    [
        ("report", "?period=0001-01"),
        ("report", "?period=9999-12"),
        ("report_csv", "?period=0001-01"),
        ("billing_history", "?year=99999999999999999999"),
        ("readings", "?period=0001-01"),
        ("hot_water", "?period=0000-00"),
        ("archive", "?after=2026-01-01_99999999999999999999999"),
        ("archive", "?date_from=0001-01-01&date_to=9999-12-31"),
    ],
)
def test_impossible_periods_and_years_in_the_address_are_ignored(client, cabinet_contract, name, query):
    tenant, contract = cabinet_contract
    response = client.get(tenant_reverse(tenant, f"cabinet:{name}", kwargs={"contract_id": contract.pk}) + query)
    assert response.status_code == 200


@pytest.fixture
def staff(client, tenant):
    membership = StaffMembershipFactory(
        tenant=tenant, user=UserFactory(email="staff@azersu.test", is_staff=True, preferred_language="en")
    )
    membership.user.user_permissions.add(*Permission.objects.filter(content_type__app_label="applications"))
    return login_verified_staff(client, membership.user)


CHANGELIST = "/admin/applications/application/"


@pytest.mark.parametrize(
    "query",
    [
        "?submitted_at__year=2147483648",
        "?submitted_at__year=9999",
        "?submitted_at__year=2026&submitted_at__month=13",
        "?submitted_at__year=2026&submitted_at__month=2&submitted_at__day=-1",
        "?submitted_at__year=abc",
    ],
)
def test_an_impossible_date_hierarchy_year_redirects_to_the_list(staff, query):
    response = staff.get(CHANGELIST + query)
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert staff.get(CHANGELIST + "?submitted_at__year=2026").status_code == 200


@pytest.mark.parametrize("selected", ["1,5", "abc", "99999999999999999999999", "\x00"])
def test_a_malformed_selected_action_redirects_with_a_message(staff, selected):
    response = staff.post(CHANGELIST, {"action": "assign_to_me", ACTION_CHECKBOX_NAME: [selected]}, follow=True)
    assert response.status_code == 200
    assert "The selected rows are not valid" in response.content.decode()


def test_the_period_parser_refuses_a_month_before_the_calendar():
    from billing.selectors_cabinet import parse_period

    assert parse_period("0001-01") is None
    assert parse_period("2026-03") == datetime.date(2026, 3, 1)
