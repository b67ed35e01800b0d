"""The monthly report of a contract (W4): its rows as CSV, its PDF, and the request that has a task
render the PDF.

The CSV is cheap and streams straight from the request. The PDF goes through WeasyPrint with the
same fetcher as the invoices (our static files and the tenant's logo, nothing else) and is
rendered by a Celery task into private storage; the page polls until it is there.
"""

import csv

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from billing.models import MonthlyReport
from billing.selectors_cabinet import monthly_report
from portal.files import filename_part
from portal.pdf import BASE_URL, StaticOnlyFetcher
from portal.queue import enqueue_on_commit

CSV_COLUMNS = ("section", "date", "reference", "description", "quantity", "unit", "net", "vat", "amount")


class _Echo:
    """A file-like object whose write returns the line, for csv.writer feeding a streaming response."""

    def write(self, value):
        return value


def report_csv_rows(data):
    """The report as CSV rows: a header, consumption per meter, charges, payments, then the totals."""
    yield CSV_COLUMNS
    for row in data.meters:
        meter = row.meter
        yield (
            "consumption",
            row.end_date.isoformat() if row.end_date else "",
            meter.serial_number,
            meter.get_kind_display(),
            row.consumption,
            row.unit,
            "",
            "",
            "",
        )
    for invoice in data.invoices:
        period = f"{invoice.period_start.isoformat()} – {invoice.period_end.isoformat()}"
        yield (
            "charge",
            invoice.issued_on.isoformat(),
            invoice.number,
            period,
            "",
            "",
            invoice.net_total,
            invoice.vat_total,
            invoice.total,
        )
    for payment in data.payments:
        reference = payment.invoice.number if payment.invoice else ""
        yield ("payment", payment.paid_on.isoformat(), reference, payment.method_label, "", "", "", "", payment.amount)
    yield ("opening_balance", data.first_day.isoformat(), "", "", "", "", "", "", data.opening_balance)
    yield ("charges_total", "", "", "", "", "", "", "", data.charges_total)
    yield ("payments_total", "", "", "", "", "", "", "", data.payments_total)
    yield ("closing_balance", data.last_day.isoformat(), "", "", "", "", "", "", data.closing_balance)


def stream_report_csv(data):
    writer = csv.writer(_Echo())
    for row in report_csv_rows(data):
        yield writer.writerow(row)


def report_filename(contract, period, extension):
    return f"report-{filename_part(contract.number)}-{period:%Y-%m}.{extension}"


# -- the PDF --------------------------------------------------------------------------------------


def render_report_pdf_bytes(report):
    contract = report.contract
    tenant = report.tenant
    with translation.override(report.language):
        html = render_to_string(
            "billing/report_pdf.html",
            {
                "report": monthly_report(contract, report.period),
                "tenant": tenant,
                "contract": contract,
                "account": contract.account,
                "logo_url": f"{settings.MEDIA_URL}{tenant.logo.name}" if tenant.logo else "",
            },
        )
        fetcher = StaticOnlyFetcher(allowed_media=[tenant.logo.name] if tenant.logo else [])
        return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def store_report_pdf(report):
    """Render and save the report's PDF under a server-chosen name in private storage."""
    content = render_report_pdf_bytes(report)
    report.pdf.save(report_filename(report.contract, report.period, "pdf"), ContentFile(content), save=False)
    report.rendered_at = timezone.now()
    report.save(update_fields=["pdf", "rendered_at"])
    return report.pdf.name


@transaction.atomic
def request_monthly_report(*, contract, period, user, language):
    """Ask for the PDF of ``contract``'s report for the month ``period``: drop a stale one and have a
    task render it after commit. Returns the report row."""
    report, _created = MonthlyReport.objects.select_for_update().get_or_create(
        tenant=contract.tenant,
        contract=contract,
        period=period,
        defaults={"requested_by": user, "language": language},
    )
    if report.pdf:
        report.pdf.delete(save=False)
    report.pdf = ""
    report.rendered_at = None
    report.requested_by = user
    report.language = language
    report.save(update_fields=["pdf", "rendered_at", "requested_by", "language"])
    # With the broker down the page keeps saying "being prepared" and the user can ask again.
    enqueue_on_commit("billing.tasks.render_monthly_report", report.pk, if_down="the user can ask for it again")
    return report
