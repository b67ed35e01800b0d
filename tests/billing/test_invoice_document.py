"""What a real utility's invoice shows: the payee's requisites, both readings of each meter, the
unit prices and VAT terms, dates in the reader's format and, in Russia, the GOST R 56042-2014
payment QR code, decoded here from the image in the rendered PDF."""

import datetime
import io
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from billing.documents import render_invoice_pdf_bytes
from billing.invoicing import form_invoice_for_application, form_period_invoice, recipient_language
from billing.payment_qr import st00012_payload
from meters.models import SubscriberAccount
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.billing.conftest import book, make_tariff
from tests.meters.factories import ContractFactory, MeterFactory

IZHVODOKANAL = {
    "country_code": "RU",
    "default_language": "ru",
    "currency": "RUB",
    "timezone": "Europe/Samara",
    "legal_name": "МУП г. Ижевска «Ижводоканал»",
    "tax_number": "1831000650",
    "bank_name": "Удмуртское отделение № 8618 ПАО Сбербанк",
    "bank_code": "049401601",
    "bank_account": "40702810368020101234",
    "correspondent_account": "30101810400000000601",
    "address": "426063, Ижевск, ул. Орджоникидзе, 2",
}


def pdf_pages(content):
    return PdfReader(io.BytesIO(content)).pages


def pdf_text(content):
    """The PDF's text as one line: wrapped cells and the no-break spaces of Russian thousands
    become plain spaces."""
    return " ".join(" ".join(page.extract_text() for page in pdf_pages(content)).split())


def decoded_qr_codes(content):
    """The QR codes of the images drawn on the PDF's pages, decoded."""
    texts = []
    for page in pdf_pages(content):
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            texts += [result.text for result in zxingcpp.read_barcodes(picture)]
    return texts


@pytest.fixture
def azersu(tenant):
    tenant.legal_name = "«Azərsu» Açıq Səhmdar Cəmiyyəti"
    tenant.tax_number = "1700038881"
    tenant.bank_name = "«Kapital Bank» ASC"
    tenant.bank_code = "200026"
    tenant.bank_account = "AZ37AIIB38090019441100000110"
    tenant.save()
    return tenant


@pytest.fixture
def azersu_invoice(azersu, application, meter, freeze_today):
    freeze_today(datetime.date(2026, 10, 5))
    make_tariff(azersu, service="water", blocks=((None, "0.70"),))
    book(meter, "100", datetime.date(2026, 9, 1))
    reading = book(meter, "112.345", datetime.date(2026, 10, 1))
    application.language = "az"
    application.save()
    return form_invoice_for_application(application=application, booked_readings=[reading])


@pytest.fixture
def izhvodokanal_contract(tenant, branch, freeze_today):
    for field, value in IZHVODOKANAL.items():
        setattr(tenant, field, value)
    tenant.save()
    freeze_today(datetime.date(2026, 11, 3))
    contract = ContractFactory(tenant=tenant, account__branch=branch, account__code="IZV-000123")
    make_tariff(
        tenant,
        service="water",
        category=SubscriberAccount.Category.LEGAL_ENTITY,
        blocks=((None, "42.73"),),
        vat_rate="20",
        include_vat=False,
    )
    meter = MeterFactory(account=contract.account, serial_number="ХВ-778", initial_reading=Decimal("0"))
    book(meter, "1520", datetime.date(2026, 9, 30))
    book(meter, "1600", datetime.date(2026, 10, 31))
    return contract


def test_the_invoice_shows_the_payees_requisites_both_readings_and_the_vat(azersu_invoice):
    text = pdf_text(render_invoice_pdf_bytes(azersu_invoice))

    assert "Azərsu» Açıq Səhmdar Cəmiyyəti" in text
    assert "1700038881" in text and "VÖEN" in text
    assert "Kapital Bank" in text and "200026" in text and "AZ37AIIB38090019441100000110" in text
    # Both readings with their dates (Azerbaijani format) and the consumption.
    assert "100,000" in text and "01.09.2026" in text
    assert "112,345" in text and "01.10.2026" in text
    assert "12,345 m³" in text
    assert "18 %" in text
    assert "ƏDV daxildir" in text  # "VAT included"
    assert "AZN/m³" in text
    assert azersu_invoice.payment_reference in text


def test_the_lines_keep_the_readings_and_vat_terms_they_were_priced_with(azersu_invoice):
    line = azersu_invoice.lines.get()

    assert (line.previous_value, line.previous_date) == (Decimal("100.000"), datetime.date(2026, 9, 1))
    assert (line.current_value, line.current_date) == (Decimal("112.345"), datetime.date(2026, 10, 1))
    assert (line.vat_rate, line.prices_include_vat) == (Decimal("18.00"), True)


def test_an_azerbaijani_invoice_has_no_payment_qr_code(azersu_invoice):
    assert decoded_qr_codes(render_invoice_pdf_bytes(azersu_invoice)) == []


def test_a_russian_invoice_carries_the_gost_payment_qr_code(izhvodokanal_contract):
    invoice = form_period_invoice(
        account=izhvodokanal_contract.account,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        render_pdf=False,
    )
    content = render_invoice_pdf_bytes(invoice)

    assert invoice.language == "ru"
    assert invoice.total == Decimal("4102.08")  # 80 m³ × 42.73 = 3418.40 + 20 % VAT
    [payload] = decoded_qr_codes(content)
    fields = dict(part.split("=", 1) for part in payload.split("|")[1:])
    assert payload.startswith("ST00012|Name=МУП г. Ижевска «Ижводоканал»|PersonalAcc=40702810368020101234|")
    assert fields == {
        "Name": "МУП г. Ижевска «Ижводоканал»",
        "PersonalAcc": "40702810368020101234",
        "BankName": "Удмуртское отделение № 8618 ПАО Сбербанк",
        "BIC": "049401601",
        "CorrespAcc": "30101810400000000601",
        "PayeeINN": "1831000650",
        "Sum": "410208",
        "Purpose": f"Счёт {invoice.number}, код абонента IZV-000123",
        "PersAcc": "IZV-000123",
        "PaymPeriod": "10.2026",
    }
    text = pdf_text(content)
    assert "ИНН" in text and "1831000650" in text and "049401601" in text and "30101810400000000601" in text
    assert "1 520,000" in text and "30.09.2026" in text
    assert "1 600,000" in text and "31.10.2026" in text
    assert "20 %" in text and "НДС не включён" in text
    assert "42,73 RUB/m³" in text


def test_the_payload_says_nothing_without_the_bank_requisites(tenant):
    assert (
        st00012_payload(
            tenant=tenant, total=Decimal("10"), purpose="x", payer_account="1", period_end=datetime.date(2026, 10, 31)
        )
        is None
    )


def test_the_payload_keeps_separators_out_of_the_values(izhvodokanal_contract):
    payload = st00012_payload(
        tenant=izhvodokanal_contract.tenant,
        total=Decimal("0.5"),
        purpose="Вода | стоки",
        payer_account="A|1",
        period_end=datetime.date(2026, 1, 31),
    )

    assert "|Sum=50|Purpose=Вода стоки|PersAcc=A 1|PaymPeriod=01.2026" in payload


def test_a_corrective_invoice_has_no_qr_to_pay(izhvodokanal_contract):
    assert (
        st00012_payload(
            tenant=izhvodokanal_contract.tenant,
            total=Decimal("-5"),
            purpose="x",
            payer_account="1",
            period_end=datetime.date(2026, 1, 31),
        )
        is None
    )


def test_a_period_invoice_is_in_the_language_of_the_organizations_owner(tenant, branch):
    tenant.default_language = "uz"
    tenant.save()
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=UserFactory(preferred_language="ru"))
    MembershipFactory(organization=organization, user=UserFactory(preferred_language="en"), role="accountant")
    contract = ContractFactory(tenant=tenant, account__branch=branch, organization=organization)

    assert recipient_language(contract.account) == "ru"


def test_a_period_invoice_of_an_unlinked_contract_is_in_the_tenants_language(tenant, branch):
    tenant.default_language = "uz"
    tenant.save()
    contract = ContractFactory(tenant=tenant, account__branch=branch)

    assert recipient_language(contract.account) == "uz"


def test_a_russian_invoice_shows_the_russian_name_and_thousands_grouped(tenant, branch, freeze_today):
    """Issue #9 item 12: the tenant's name in the reader's language, money as the locale groups it."""
    for field, value in IZHVODOKANAL.items():
        setattr(tenant, field, value)
    tenant.name, tenant.name_ru = "Izhvodokanal", "Ижводоканал"
    tenant.save()
    freeze_today(datetime.date(2026, 11, 3))
    contract = ContractFactory(tenant=tenant, account__branch=branch, account__code="IZV-000124")
    make_tariff(
        tenant,
        service="water",
        category=SubscriberAccount.Category.LEGAL_ENTITY,
        blocks=((None, "12345.67"),),
        vat_rate="20",
        include_vat=True,
    )
    meter = MeterFactory(account=contract.account, serial_number="ХВ-779", initial_reading=Decimal("0"))
    book(meter, "10", datetime.date(2026, 9, 30))
    book(meter, "11", datetime.date(2026, 10, 31))
    invoice = form_period_invoice(
        account=contract.account,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        render_pdf=False,
    )

    text = pdf_text(render_invoice_pdf_bytes(invoice))

    assert (invoice.language, invoice.total) == ("ru", Decimal("12345.67"))
    assert "Ижводоканал" in text
    assert "12 345,67 RUB" in text  # the no-break space of Russian thousands, normalised
    assert "12345,67 RUB" not in text
