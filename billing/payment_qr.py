"""Payment QR codes on invoices, where the country has a national standard for them.

Russia: GOST R 56042-2014 ("Standards of financial operations. Two-dimensional bar code symbols
for payments of individuals"), which every Russian banking app scans. The payload is
``ST00012|Key=Value|...``: "ST" the format, "0001" the version, "2" UTF-8. The five required
fields come first in the order the standard lists them (Name, PersonalAcc, BankName, BIC,
CorrespAcc); the optional ones we fill say who pays what: the payee's INN, the sum in kopecks,
the purpose, the payer's account with the utility (PersAcc) and the billing month (PaymPeriod,
MM.YYYY as the housing and utilities QR codes of Russian banks print it).

Azerbaijan and Uzbekistan: no national standard for a payment QR code on a bill was found (the
utilities there are paid by subscriber code through the banks' and the state's payment portals),
so their invoices carry the payment reference and the requisites only.
"""

import base64
import io
from decimal import Decimal

import segno

# Field limits of GOST R 56042-2014, table 1 (required) and table 2 (the optional ones we use).
LIMITS = {
    "Name": 160,
    "PersonalAcc": 20,
    "BankName": 45,
    "BIC": 9,
    "CorrespAcc": 20,
    "PayeeINN": 12,
    "Sum": 18,
    "Purpose": 210,
    "PersAcc": 30,
    "PaymPeriod": 7,
}


def _value(text, limit):
    """A field value as the standard allows it: one line, no separator, within its length."""
    cleaned = " ".join(str(text).replace("|", " ").split())
    return cleaned[:limit]


def st00012_payload(*, tenant, total, purpose, payer_account, period_end):
    """The GOST R 56042-2014 payload for paying ``total`` to ``tenant``, or None when the tenant
    has not entered its requisites or there is nothing to pay (a corrective invoice)."""
    required = {
        "Name": tenant.legal_name or tenant.name,
        "PersonalAcc": tenant.bank_account,
        "BankName": tenant.bank_name,
        "BIC": tenant.bank_code,
        # The standard asks for "0" when the bank has no correspondent account.
        "CorrespAcc": tenant.correspondent_account or "0",
    }
    if not all(required.values()) or total <= 0:
        return None
    kopecks = int((Decimal(total) * 100).quantize(Decimal(1)))
    fields = {
        **required,
        "PayeeINN": tenant.tax_number,
        "Sum": str(kopecks),
        "Purpose": purpose,
        "PersAcc": payer_account,
        "PaymPeriod": period_end.strftime("%m.%Y"),
    }
    return "ST00012|" + "|".join(
        f"{key}={_value(value, LIMITS[key])}" for key, value in fields.items() if value not in ("", None)
    )


def invoice_payment_payload(invoice, purpose):
    """The payment QR payload of ``invoice`` under its tenant's national standard, or None."""
    tenant = invoice.tenant
    if tenant.country_code == "RU":
        return st00012_payload(
            tenant=tenant,
            total=invoice.total,
            purpose=purpose,
            payer_account=invoice.account.code,
            period_end=invoice.period_end,
        )
    # AZ, UZ: no national payment QR standard (see the module docstring).
    return None


def qr_png_data_uri(payload):
    """``payload`` as a QR code PNG in a data: URI, for the PDF (no file, no fetch).

    Error correction M, as the standard recommends; a raster image so that the PDF holds the
    symbol itself and any reader (and our test) can decode it from the page.
    """
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=6, border=4)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
