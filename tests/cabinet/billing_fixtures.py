"""Shared builders of the cabinet billing tests: invoices and payments on a contract's account."""

import datetime
from decimal import Decimal

from billing.models import Invoice, Payment
from portal.urls_helpers import tenant_reverse

# Short names the tests use → the cabinet's URL names.
BILLING_URL_NAMES = {"history": "billing_history"}


def page_url(contract, name, query=""):
    return (
        tenant_reverse(
            contract.tenant, "cabinet:" + BILLING_URL_NAMES.get(name, name), kwargs={"contract_id": contract.pk}
        )
        + query
    )


def make_invoice(account, period_start, total, *, number=None, vat="0", status=Invoice.Status.ISSUED):
    period_end = (period_start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    total = Decimal(total)
    vat = Decimal(vat)
    return Invoice.objects.create(
        tenant=account.tenant,
        number=number or f"INV-{account.pk}-{period_start:%Y%m}",
        account=account,
        period_start=period_start,
        period_end=period_end,
        issued_on=period_end + datetime.timedelta(days=1),
        due_on=period_end + datetime.timedelta(days=10),
        currency=account.tenant.currency,
        net_total=total - vat,
        vat_total=vat,
        total=total,
        payment_reference=f"REF{account.pk}{period_start:%Y%m}",
        status=status,
        language="en",
    )


def make_payment(account, paid_on, amount, *, invoice=None, channel=Payment.Channel.BANK_TRANSFER, method=""):
    return Payment.objects.create(
        tenant=account.tenant,
        account=account,
        invoice=invoice,
        amount=Decimal(amount),
        paid_on=paid_on,
        channel=channel,
        method=method,
        external_id=f"PAY-{account.pk}-{paid_on.isoformat()}-{amount}",
    )
