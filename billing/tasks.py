"""Celery tasks of billing: thin, idempotent wrappers over billing.pdf and billing.services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from billing.models import Invoice, MonthlyReport

logger = logging.getLogger(__name__)

# An invoice without a PDF this long after it was formed lost its own render task (broker down,
# worker killed, rendering error): the sweep queues it again.
SWEEP_GRACE = timedelta(minutes=1)
SWEEP_BATCH = 200


@shared_task(bind=True, max_retries=5, acks_late=True)
def render_invoice_pdf(self, invoice_id):
    """Render the invoice PDF unless it exists, then queue the result e-mail unless queued.

    The invoice row is locked for the whole run, so a retry racing the sweep renders once.
    """
    from billing.documents import store_invoice_pdf
    from billing.services import queue_invoice_ready

    try:
        with transaction.atomic():
            invoice = (
                Invoice.objects.select_for_update(of=("self",))
                .select_related("tenant", "account", "account__branch", "application", "application__applicant")
                .filter(pk=invoice_id)
                .first()
            )
            if invoice is None:
                return "missing"
            if not invoice.pdf:
                store_invoice_pdf(invoice)
            queue_invoice_ready(invoice)
    except Exception as error:
        logger.exception("Rendering the PDF of invoice %s failed", invoice_id)
        if self.request.is_eager:
            # In-process (the embedded default) a retry would run at once inside the user's
            # request; the beat sweep renders it later instead.
            return "failed"
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
    return "rendered"


@shared_task
def render_missing_invoice_pdfs():
    """Beat task: queue rendering of every invoice still without a PDF a minute after forming."""
    from billing.services import publish_render

    ids = list(
        Invoice.objects.filter(pdf="", created_at__lte=timezone.now() - SWEEP_GRACE)
        .exclude(status=Invoice.Status.CANCELLED)
        # A billing run's invoices get their PDF on demand (first download, a pack), not up front.
        .filter(billing_run__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for invoice_id in ids:
        publish_render(invoice_id)
    return len(ids)


@shared_task(bind=True, max_retries=3, acks_late=True)
def render_monthly_report(self, report_id):
    """Render a contract's monthly report PDF unless it is there; the row lock keeps a retry and a
    second request from rendering it twice."""
    from billing.reports import store_report_pdf

    try:
        with transaction.atomic():
            report = (
                MonthlyReport.objects.select_for_update(of=("self",))
                .select_related("tenant", "contract", "contract__tenant", "contract__account")
                .filter(pk=report_id)
                .first()
            )
            if report is None:
                return "missing"
            if not report.pdf:
                store_report_pdf(report)
    except Exception as error:
        logger.exception("Rendering monthly report %s failed", report_id)
        if self.request.is_eager:
            return "failed"
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
    return "rendered"


@shared_task(bind=True, max_retries=5, acks_late=True)
def run_billing_chunks(self, run_id):
    """Write chunks of billing run ``run_id`` until none is left (billing/run/chunks.py).

    Idempotent: a chunk is claimed under a row lock and marked done in the transaction that
    writes it, so a retry, a redelivery or a second worker only takes what is still to do.
    """
    from billing.run.chunks import work_on_run

    try:
        return work_on_run(run_id)
    except Exception as error:
        logger.exception("Billing run %s failed in a chunk", run_id)
        if self.request.is_eager:
            return "failed"
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task(bind=True, max_retries=3, acks_late=True)
def build_invoice_pack(self, pack_id):
    """Build a company's monthly pack (billing/packs.py); idempotent: a current pack is left as it is."""
    from billing.packs import build_pack

    try:
        return build_pack(pack_id)
    except Exception as error:
        logger.exception("Building invoice pack %s failed", pack_id)
        if self.request.is_eager:
            return "failed"
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
