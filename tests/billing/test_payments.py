"""Payments: booked once per bank id, and an invoice is paid once its payments cover it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import Invoice, Payment
from billing.services import account_balance, record_payment
from tests.meters.factories import SubscriberAccountFactory

PAID_ON = datetime.date(2026, 10, 7)


@pytest.fixture
def invoice(account):
    return Invoice.objects.create(
        tenant=account.tenant, account=account, number="AZS-INV-2026-000001", period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 10, 1), issued_on=datetime.date(2026, 10, 5), due_on=datetime.date(2026, 11, 10),
        currency="AZN", total=Decimal("12.34"), payment_reference="77001232600000117", language="en",
    )  # fmt: skip


def test_the_same_bank_payment_imported_twice_is_booked_once(account):
    first = record_payment(account=account, amount=Decimal("10"), paid_on=PAID_ON, external_id="BANK-1")
    second = record_payment(account=account, amount=Decimal("10"), paid_on=PAID_ON, external_id="BANK-1")

    assert first == second
    assert Payment.objects.count() == 1
    assert account_balance(account) == Decimal("10.00")


def test_a_bank_id_booked_for_another_account_is_refused(account, tenant, branch):
    record_payment(account=account, amount=Decimal("10"), paid_on=PAID_ON, external_id="BANK-1")
    neighbour = SubscriberAccountFactory(tenant=tenant, branch=branch)

    with pytest.raises(ValidationError):
        record_payment(account=neighbour, amount=Decimal("10"), paid_on=PAID_ON, external_id="BANK-1")


def test_the_invoice_is_paid_only_once_payments_cover_it(account, invoice):
    record_payment(account=account, amount=Decimal("10"), paid_on=PAID_ON, external_id="B-1", invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED

    record_payment(account=account, amount=Decimal("2.34"), paid_on=PAID_ON, external_id="B-2", invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert account_balance(account) == Decimal("0.00")


def test_a_payment_cannot_pay_another_accounts_invoice(invoice, tenant, branch):
    neighbour = SubscriberAccountFactory(tenant=tenant, branch=branch)

    with pytest.raises(ValidationError):
        record_payment(account=neighbour, amount=Decimal("12.34"), paid_on=PAID_ON, external_id="B-9", invoice=invoice)


def test_the_same_bank_id_may_exist_at_another_utility(account, other_tenant):
    other = SubscriberAccountFactory(tenant=other_tenant)
    record_payment(account=account, amount=Decimal("1"), paid_on=PAID_ON, external_id="BANK-1")

    record_payment(account=other, amount=Decimal("1"), paid_on=PAID_ON, external_id="BANK-1")

    assert Payment.objects.count() == 2
