"""A company's monthly pack: one PDF of all its invoices for a month (#12, goal 3).

The invoices are those of the accounts of the contracts linked to the organization in the tenant,
for billing periods starting in the month. Their PDFs are rendered where missing (and kept on each
invoice, so a later download or pack reuses them) in chunks, each chunk committed on its own so a
worker that dies resumes where it stopped, then merged with pypdf.
"""

import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfWriter

from billing.documents import store_invoice_pdf
from billing.models import Invoice, InvoicePack
from meters.models import Contract
from portal.dates import month_end
from portal.queue import enqueue_on_commit

# Invoices rendered per transaction while a pack is built.
RENDER_CHUNK = 25


def pack_invoices(*, tenant, organization, period):
    """The month's invoices of the organization's contracts in ``tenant``, oldest number first."""
    accounts = Contract.objects.for_tenant(tenant).filter(organization=organization).values("account_id")
    return (
        Invoice.objects.for_tenant(tenant)
        .filter(account_id__in=accounts, period_start__gte=period, period_start__lte=month_end(period))
        .exclude(status=Invoice.Status.CANCELLED)
        .order_by("number")
    )


def ids_text(invoice_ids):
    return ",".join(str(pk) for pk in invoice_ids)


def current_pack(*, tenant, organization, period):
    """(pack or None, the month's invoice ids): the pack is current when it merged exactly those."""
    invoice_ids = list(
        pack_invoices(tenant=tenant, organization=organization, period=period).values_list("pk", flat=True)
    )
    pack = InvoicePack.objects.filter(tenant=tenant, organization=organization, period=period).first()
    if pack is not None and (not pack.pdf or pack.invoice_ids != ids_text(invoice_ids)):
        return pack, invoice_ids, False
    return pack, invoice_ids, pack is not None


def request_pack(*, tenant, organization, period):
    """The pack row of the month, its build queued after commit. Idempotent: a second request
    while it builds queues a task that finds nothing to do."""
    try:
        with transaction.atomic():
            pack, _created = InvoicePack.objects.get_or_create(tenant=tenant, organization=organization, period=period)
    except IntegrityError:
        pack = InvoicePack.objects.get(tenant=tenant, organization=organization, period=period)
    enqueue_on_commit("billing.tasks.build_invoice_pack", pack.pk, if_down="asking again queues it")
    return pack


def render_missing_pdfs(invoices):
    """Render the PDFs the invoices lack, RENDER_CHUNK to a transaction, each invoice locked
    while it renders (the download and the render task take the same lock)."""
    missing = [invoice.pk for invoice in invoices if not invoice.pdf]
    for start in range(0, len(missing), RENDER_CHUNK):
        with transaction.atomic():
            chunk = (
                Invoice.objects.select_for_update(of=("self",))
                .select_related("tenant", "account", "account__branch", "application")
                .filter(pk__in=missing[start : start + RENDER_CHUNK], pdf="")
            )
            for invoice in chunk:
                store_invoice_pdf(invoice)


def build_pack(pack_id):
    """Render what is missing and merge the month's invoices into the pack's PDF."""
    pack = InvoicePack.objects.select_related("tenant", "organization").filter(pk=pack_id).first()
    if pack is None:
        return "missing"
    invoices = list(pack_invoices(tenant=pack.tenant, organization=pack.organization, period=pack.period))
    expected = ids_text(invoice.pk for invoice in invoices)
    if pack.pdf and pack.invoice_ids == expected:
        return "current"
    render_missing_pdfs(invoices)
    writer = PdfWriter()
    for invoice in Invoice.objects.filter(pk__in=[invoice.pk for invoice in invoices]).order_by("number"):
        with invoice.pdf.open("rb") as handle:
            writer.append(io.BytesIO(handle.read()))
    output = io.BytesIO()
    writer.write(output)
    with transaction.atomic():
        pack = InvoicePack.objects.select_for_update().get(pk=pack_id)
        if pack.pdf:
            pack.pdf.delete(save=False)
        name = f"{pack.tenant.slug}/{pack.organization_id}-{pack.period:%Y-%m}.pdf"
        pack.pdf.save(name, ContentFile(output.getvalue()), save=False)
        pack.invoice_ids, pack.rendered_at = expected, timezone.now()
        pack.save(update_fields=["pdf", "invoice_ids", "rendered_at"])
    return "built"
