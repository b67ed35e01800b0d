"""Monthly invoices of contract accounts (W4): the month's consumption per meter priced with the
tariff in force on the reading date, tiered like the invoices formed on W1 acceptance."""

from django.db import transaction
from django.utils import translation

from billing.models import Invoice, InvoiceLine
from billing.numbering import due_date, invoice_number, next_invoice_sequence, payment_reference
from billing.selectors_cabinet import consumption_by_meter
from billing.services import ZERO, _lines_for_reading, publish_render
from meters.models import Reading


@transaction.atomic
def form_period_invoice(*, account, period_start, period_end, issued_on=None, render_pdf=True):
    """Form the invoice of ``account`` for the consumption between ``period_start`` and
    ``period_end`` (the latest accepted reading of each meter in the period minus the last one
    before it). Returns the invoice formed earlier for the same period if there is one, or None
    when nothing could be priced (no readings in the period, no tariff entered)."""
    existing = (
        Invoice.objects.filter(
            account=account, application__isnull=True, period_start=period_start, period_end=period_end
        )
        .exclude(status=Invoice.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        return existing
    tenant = account.tenant
    language = tenant.default_language
    lines = []
    with translation.override(language):
        for row in consumption_by_meter(account, period_start, period_end):
            if row.end_value is None:
                continue
            # The period's last reading prices the month: its date picks the tariff in force.
            reading = Reading(meter=row.meter, value=row.end_value, reading_date=row.end_date)
            lines += _lines_for_reading(reading, account, row.consumption, period_start)
    if not lines:
        return None

    issued_on = issued_on or tenant.today()
    # Payment by the 10th of the month after the billing period; a late invoice gets its own term.
    due_on = due_date(tenant, period_end)
    if due_on < issued_on:
        due_on = due_date(tenant, issued_on)
    sequence = next_invoice_sequence(tenant, issued_on.year)
    invoice = Invoice(
        tenant=tenant,
        number=invoice_number(tenant, issued_on.year, sequence),
        account=account,
        period_start=period_start,
        period_end=period_end,
        issued_on=issued_on,
        due_on=due_on,
        currency=tenant.currency,
        net_total=sum((line.net_amount for line in lines), ZERO),
        vat_total=sum((line.vat_amount for line in lines), ZERO),
        total=sum((line.amount for line in lines), ZERO),
        payment_reference=payment_reference(account.code, issued_on.year, sequence),
        language=language,
    )
    invoice.full_clean(exclude=["pdf", "application"])
    invoice.save()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    if render_pdf:
        transaction.on_commit(lambda: publish_render(invoice.pk))
    return invoice
