"""The monthly report of a contract (W4): its rows as CSV, its PDF, and the request that has a task
render the PDF.

The CSV is cheap and streams straight from the request. The PDF goes through WeasyPrint with the
same fetcher as the invoices (our static files and the tenant's logo, nothing else) and is
rendered by a Celery task into private storage; the page polls until it is there.
"""

import csv
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML

from billing.models import MonthlyReport
from billing.selectors_cabinet import monthly_report
from portal.files import filename_part
from portal.pdf import BASE_URL, StaticOnlyFetcher
from portal.queue import enqueue_on_commit

# The CSV opens in Excel in the reader's language: headers and section names translated, and in
# az/ru/uz (where Excel's list separator is ";" and the decimal separator ",") semicolons and
# decimal commas; in English commas and decimal points. A UTF-8 byte order mark first, or Excel
# reads the Cyrillic and Azerbaijani letters as cp1251/cp1252.
CSV_COLUMNS = (
    _("Section"),
    _("Date"),
    _("Reference"),
    _("Description"),
    _("Quantity"),
    _("Unit"),
    _("Without VAT"),
    _("VAT"),
    _("Amount"),
)
CSV_SECTIONS = {
    "consumption": _("Consumption"),
    "charge": _("Charge"),
    "payment": _("Payment"),
    "opening_balance": _("Opening balance"),
    "charges_total": _("Charges total"),
    "payments_total": _("Payments total"),
    "closing_balance": _("Closing balance"),
}
UTF8_BOM = "\ufeff"


def csv_delimiter(language):
    return "," if (language or "en").startswith("en") else ";"


class _Echo:
    """A file-like object whose write returns the line, for csv.writer feeding a streaming response."""

    def write(self, value):
        return value


def _cell(value):
    """Numbers with the active language's decimal separator (no grouping: Excel would read the
    group separator as text); everything else as it is."""
    if isinstance(value, Decimal):
        return number_format(value, use_l10n=True, force_grouping=False)
    return str(value)


def report_csv_rows(data):
    """The report as CSV rows, in the active language: a header, consumption per meter, charges,
    payments, then the totals."""
    yield [str(column) for column in CSV_COLUMNS]
    for section, *cells in _report_rows(data):
        yield [str(CSV_SECTIONS[section]), *(_cell(cell) for cell in cells)]


def _report_rows(data):
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


def stream_report_csv(data, language=None):
    """The CSV's lines in ``language`` (the request's by default). The language is read now, not
    when the streaming response is iterated after the view has returned."""
    language = language or translation.get_language()
    writer = csv.writer(_Echo(), delimiter=csv_delimiter(language))
    with translation.override(language):
        rows = list(report_csv_rows(data))
    return (UTF8_BOM, *(writer.writerow(row) for row in rows))


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
