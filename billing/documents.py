"""The invoice PDF as billing sees it: portal.pdf renders our template safely; this adds what
only billing knows (the readings billed, the VAT rates, the payment QR code of the tenant's
national standard)."""

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from billing.models import Invoice
from billing.payment_qr import invoice_payment_payload, qr_png_data_uri
from billing.pdf_batch import renderer

# The national name of the payee's taxpayer number, printed as it is in every language: a Russian
# utility's number is its INN also on an invoice read in Azerbaijani.
logger = logging.getLogger(__name__)

TAX_NUMBER_NAMES = {"AZ": "VÖEN", "RU": "ИНН", "UZ": "STIR"}


@dataclass(frozen=True)
class BilledReadings:
    serial_number: str
    unit: str
    previous_value: Decimal | None
    previous_date: date | None
    current_value: Decimal
    current_date: date

    @property
    def consumption(self):
        if self.previous_value is None:
            return None
        return max(self.current_value - self.previous_value, Decimal("0.000"))


def billed_readings(lines):
    """One row per meter and pair of readings the invoice bills (a meter billed for water and
    wastewater, or in several tariff blocks, is one row), in the order of the lines."""
    rows = {}
    for line in lines:
        if line.meter_id is None or line.current_value is None:
            continue
        row = BilledReadings(
            serial_number=line.meter.serial_number,
            unit=line.unit,
            previous_value=line.previous_value,
            previous_date=line.previous_date,
            current_value=line.current_value,
            current_date=line.current_date,
        )
        rows.setdefault((line.meter_id, row.previous_date, row.current_date, row.current_value), row)
    return list(rows.values())


def vat_rates(lines):
    return sorted({line.vat_rate for line in lines})


def invoice_pdf_extras(invoice):
    """Template context beyond the invoice's own rows."""
    lines = list(invoice.lines.select_related("meter"))
    with translation.override(invoice.language):
        purpose = _("Invoice %(number)s, subscriber code %(code)s") % {
            "number": invoice.number,
            "code": invoice.account.code,
        }
    payload = invoice_payment_payload(invoice, purpose)
    return {
        "lines": lines,
        "readings": billed_readings(lines),
        "vat_rates": vat_rates(lines),
        "tax_number_name": TAX_NUMBER_NAMES.get(invoice.tenant.country_code, ""),
        "payment_qr": qr_png_data_uri(payload) if payload else "",
        "payment_qr_payload": payload or "",
    }


def render_invoice_pdf_bytes(invoice):
    """Through this process's renderer (stylesheet and fonts parsed once, billing/pdf_batch.py)."""
    return renderer().render(invoice, invoice_pdf_extras(invoice))


def store_invoice_pdf(invoice):
    """Render and keep the invoice's PDF, under the name portal.pdf.store_invoice_pdf gives it."""
    content = render_invoice_pdf_bytes(invoice)
    invoice.pdf.save(f"{invoice.tenant.slug}/{invoice.number}.pdf", ContentFile(content), save=False)
    invoice.save(update_fields=["pdf"])
    return invoice.pdf.name


def ensure_invoice_pdf(invoice_id):
    """The invoice with its PDF, rendered now under the row lock unless it has one; None when
    it is gone. Rendering errors are logged and leave it without a PDF (the caller says so)."""
    try:
        with transaction.atomic():
            invoice = (
                Invoice.objects.select_for_update(of=("self",))
                .select_related("tenant", "account", "account__branch", "application")
                .filter(pk=invoice_id)
                .first()
            )
            if invoice is not None and not invoice.pdf:
                store_invoice_pdf(invoice)
            return invoice
    except Exception:
        logger.exception("Rendering the PDF of invoice %s on download failed", invoice_id)
        return None
