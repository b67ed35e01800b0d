"""Which accounts a chunk of the billing run bills (shared by both ways of writing a chunk)."""

from django.db.models import Exists, OuterRef

from billing.models import Invoice, InvoiceLine
from meters.models import SubscriberAccount
from portal.dates import month_end


def billable_accounts(chunk):
    """The chunk's active accounts of the run's tenant with no invoice (not cancelled) for any
    part of the month yet: neither this run's (a rerun changes nothing) nor one formed on an
    application's execution (W1) or in a cabinet (``form_period_invoice``), which already billed
    those readings. One-off charges (W2's connection fee, W3's verification fee and damages) bill
    no readings: their invoices have no line with a reading and do not count."""
    run = chunk.run
    invoiced = (
        Invoice.objects.filter(
            account_id=OuterRef("pk"), period_start__lte=month_end(run.period), period_end__gte=run.period
        )
        .exclude(status=Invoice.Status.CANCELLED)
        .filter(Exists(InvoiceLine.objects.filter(invoice=OuterRef("pk"), current_date__isnull=False)))
    )
    accounts = SubscriberAccount.objects.for_tenant(run.tenant_id).filter(
        is_active=True, pk__gte=chunk.first_account_id
    )
    if chunk.end_account_id is not None:
        accounts = accounts.filter(pk__lt=chunk.end_account_id)
    return accounts.filter(~Exists(invoiced))
