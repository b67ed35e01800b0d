"""Demo billing of the legal-entity cabinets (W4 Uzbekenergo, W5 Izhvodokanal): twelve monthly
invoices per demo contract, formed from its meters' readings with the published tariffs, and the
payments of all but the last one, which is left outstanding.

Runs after cabinet.demo has created the contracts and their readings. Invoices are keyed on
the account and the billing month (form_period_invoice returns the one formed before) and
payments on their external id, so ``manage.py seed_demo`` can run any number of times.
"""

import datetime

from billing.invoicing import form_period_invoice
from billing.models import Invoice, Payment
from billing.services import record_payment
from meters.models import Contract
from portal.dates import add_months, month_end, month_start
from portal.models import Tenant

TENANTS = ("uzbekenergo", "izhvodokanal")
HISTORY_MONTHS = 12
# Invoices go out on the 3rd of the month after the billing month; the demo companies pay
# a few days before the due date.
ISSUE_DAY = 3
PAID_DAYS_BEFORE_DUE = 4


def seed_contract(contract, today):
    account = contract.account
    invoices = []
    for offset in range(HISTORY_MONTHS, 0, -1):
        first = add_months(month_start(today), -offset)
        issued_on = min(add_months(first, 1).replace(day=ISSUE_DAY), today)
        invoice = form_period_invoice(
            account=account, period_start=first, period_end=month_end(first), issued_on=issued_on
        )
        if invoice is not None:
            invoices.append(invoice)
    # Every invoice but the latest is paid in full; the latest waits for payment.
    for invoice in invoices[:-1]:
        paid_on = min(invoice.due_on - datetime.timedelta(days=PAID_DAYS_BEFORE_DUE), today)
        record_payment(
            account=account,
            amount=invoice.total,
            paid_on=max(paid_on, invoice.issued_on),
            external_id=f"DEMO-{invoice.number}",
            channel=Payment.Channel.BANK_TRANSFER,
            invoice=invoice,
        )
    return invoices


def seed(stdout=None):
    write = stdout.write if stdout is not None else (lambda text: None)
    for slug in TENANTS:
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            continue
        contracts = Contract.objects.for_tenant(tenant).select_related("account", "account__tenant", "account__branch")
        contracts = list(contracts)
        if not contracts:
            write(f"billing: no {slug} contracts yet, their invoices and payments are skipped")
            continue
        today = tenant.today()
        for contract in contracts:
            invoices = seed_contract(contract, today)
            outstanding = Invoice.objects.filter(
                pk__in=[invoice.pk for invoice in invoices], status=Invoice.Status.ISSUED
            ).count()
            summary = f"{len(invoices)} monthly invoices, {outstanding} outstanding"
            write(f"billing: {slug} contract {contract.number}: {summary}")
