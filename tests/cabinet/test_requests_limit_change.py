"""Limit change request: sent from the cabinet, applied to the contract only when staff confirm."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import Application, Status
from cabinet.models import LimitChangeRequest
from cabinet.services.requests import confirm_limit_change, request_limit_change
from tests.cabinet.requests_support import admin_action, key, make_cabinet, make_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def cab():
    return make_cabinet()


def next_month_first():
    today = timezone.localdate()
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def post_limit(client, cab, idempotency_key=None, **overrides):
    data = {
        "idempotency_key": idempotency_key or key(),
        "new_limit": "2000",
        "effective_from": next_month_first().isoformat(),
        "reason": "A second production line starts.",
        **overrides,
    }
    return client.post(cab.url("limit_change"), data)


def test_the_page_shows_the_current_limit(client, cab):
    client.force_login(cab.accountant)
    page = client.get(cab.url("limit_change"))
    assert page.status_code == 200
    assert "1500.000" in page.content.decode()


def test_a_request_registers_an_application_routed_to_the_accounts_branch_and_keeps_the_limit(client, cab):
    client.force_login(cab.accountant)
    response = post_limit(client, cab)

    application = Application.objects.get(kind__code="limit_change")
    assert response.status_code == 302
    assert response["Location"] == cab.url("detail", number=application.number)
    assert application.organization == cab.organization
    assert application.branch == cab.contract.account.branch
    change = application.limit_change
    assert (change.current_limit, change.new_limit, change.applied_at) == (Decimal("1500"), Decimal("2000"), None)
    cab.contract.refresh_from_db()
    assert cab.contract.monthly_limit == Decimal("1500")


def test_posting_the_same_form_twice_creates_one_application(client, cab):
    client.force_login(cab.owner)
    same = key()
    first = post_limit(client, cab, idempotency_key=same)
    second = post_limit(client, cab, idempotency_key=same)

    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1
    assert LimitChangeRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("new_limit", "0", "The new monthly limit must be above zero."),
        ("effective_from", "2020-01-01", "Choose the first day of one of the coming months."),
    ],
)
def test_a_zero_limit_or_a_past_month_is_refused_at_the_field(client, cab, field, value, message):
    client.force_login(cab.owner)
    page = post_limit(client, cab, **{field: value})
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Application.objects.exists()


def test_the_service_refuses_a_start_that_is_not_the_first_of_a_month(cab):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        request_limit_change(
            contract=cab.contract,
            applicant=cab.owner,
            new_limit=Decimal("10"),
            effective_from=datetime.date(2030, 5, 2),
            reason="x",
            idempotency_key=key(),
            language="en",
        )


def test_staff_confirm_and_apply_sets_the_new_limit_and_the_cabinet_shows_the_confirmation(client, cab):
    client.force_login(cab.owner)
    post_limit(client, cab)
    application = Application.objects.get()

    make_reviewer(client, cab.tenant)
    result = admin_action(client, "confirm_and_apply", [application])
    assert "1 request confirmed and applied." in result.content.decode()

    cab.contract.refresh_from_db()
    application.refresh_from_db()
    assert cab.contract.monthly_limit == Decimal("2000")
    assert application.status == Status.EXECUTED
    assert application.limit_change.applied_at is not None

    client.force_login(cab.owner)
    for page in (client.get(cab.url("list")), client.get(cab.url("detail", number=application.number))):
        assert "Confirmed by Uzbekenergo on" in page.content.decode()


def test_a_second_confirmation_changes_nothing(cab):
    application = request_limit_change(
        contract=cab.contract,
        applicant=cab.owner,
        new_limit=Decimal("2000"),
        effective_from=next_month_first(),
        reason="x",
        idempotency_key=key(),
        language="en",
    )
    confirm_limit_change(application=application, actor=None)
    applied_at = LimitChangeRequest.objects.get().applied_at

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        confirm_limit_change(application=application, actor=None)
    assert LimitChangeRequest.objects.get().applied_at == applied_at


def test_a_rejected_request_shows_the_reason_and_keeps_the_limit(client, cab):
    client.force_login(cab.owner)
    post_limit(client, cab)
    application = Application.objects.get()

    make_reviewer(client, cab.tenant)
    admin_action(client, "reject", [application], apply="1", reason="The grid cannot carry more in this area.")

    cab.contract.refresh_from_db()
    assert cab.contract.monthly_limit == Decimal("1500")
    client.force_login(cab.owner)
    text = client.get(cab.url("list")).content.decode()
    assert "Rejected: The grid cannot carry more in this area." in text
