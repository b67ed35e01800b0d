"""The monthly report of a contract in the W4 cabinet: page, CSV, and the PDF a task renders."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from billing.models import MonthlyReport
from tests.cabinet.billing_fixtures import make_invoice, make_payment, page_url
from tests.meters.factories import MeterFactory, ReadingFactory

D = datetime.date


@pytest.fixture
def march(contract):
    """March 2026: 350 kWh used, a 300.00 invoice for March, a 200.00 payment of February's
    120.00 invoice (so the month opens 120.00 in debt)."""
    account = contract.account
    meter = MeterFactory(account=account, kind="electricity", serial_number="UZ-EL-9")
    ReadingFactory(meter=meter, value=Decimal("1000"), reading_date=D(2026, 2, 26))
    ReadingFactory(meter=meter, value=Decimal("1350"), reading_date=D(2026, 3, 26))
    february = make_invoice(account, D(2026, 2, 1), "120.00", number="UZE-INV-2026-000002")
    make_invoice(account, D(2026, 3, 1), "300.00", number="UZE-INV-2026-000003", vat="32.14")
    make_payment(account, D(2026, 3, 9), "200.00", invoice=february)
    make_payment(account, D(2026, 4, 2), "55.00")  # next month: not in the report
    return contract


def csv_rows(response, delimiter=","):
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def test_report_csv_has_the_columns_and_the_months_totals(member, march):
    response = member.get(page_url(march, "report_csv", "?period=2026-03"))

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="report-UZ-77-2026-03.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Section",
        "Date",
        "Reference",
        "Description",
        "Quantity",
        "Unit",
        "Without VAT",
        "VAT",
        "Amount",
    ]
    by_section = {}
    for row in rows[1:]:
        by_section.setdefault(row[0], []).append(row)
    assert [(r[2], r[4], r[5]) for r in by_section["Consumption"]] == [("UZ-EL-9", "350.000", "kWh")]
    assert [(r[2], r[6], r[7], r[8]) for r in by_section["Charge"]] == [
        ("UZE-INV-2026-000003", "267.86", "32.14", "300.00")
    ]
    assert [(r[1], r[2], r[8]) for r in by_section["Payment"]] == [("2026-03-09", "UZE-INV-2026-000002", "200.00")]
    assert by_section["Opening balance"][0][8] == "-120.00"
    assert by_section["Charges total"][0][8] == "300.00"
    assert by_section["Payments total"][0][8] == "200.00"
    assert by_section["Closing balance"][0][8] == "-220.00"


def test_report_page_shows_the_month_and_links_the_downloads(member, march):
    response = member.get(page_url(march, "report", "?period=2026-03"))

    body = response.content.decode()
    assert "Monthly report: March 2026" in body
    assert page_url(march, "report_csv", "?period=2026-03") in body
    assert "-220.00" in body
    assert "Prepare the PDF" in body


def test_report_csv_in_russian_has_russian_headers_semicolons_and_decimal_commas(member, march, accountant):
    accountant.preferred_language = "ru"
    accountant.save()

    response = member.get(page_url(march, "report_csv", "?period=2026-03"), HTTP_ACCEPT_LANGUAGE="ru")

    rows = csv_rows(response, delimiter=";")
    assert rows[0] == ["Раздел", "Дата", "Ссылка", "Описание", "Количество", "Единица", "Без НДС", "НДС", "Сумма"]
    by_section = {row[0]: row for row in rows[1:]}
    assert by_section["Потребление"][4] == "350,000"
    assert by_section["Начислено"][6:9] == ["267,86", "32,14", "300,00"]
    assert by_section["Сальдо на конец"][8] == "-220,00"


def pdf_text(field_file):
    with field_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_asking_for_the_pdf_has_a_task_render_it_then_it_downloads(
    member, march, accountant, django_capture_on_commit_callbacks
):
    url = page_url(march, "report_pdf", "?period=2026-03")
    assert "has not been prepared yet" in member.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(url, {"period": "2026-03"})

    assert response.status_code == 302
    report = MonthlyReport.objects.get(contract=march, period=D(2026, 3, 1))
    assert report.requested_by == accountant
    text = pdf_text(report.pdf)
    assert "UZ-77" in text
    assert "UZE-INV-2026-000003" in text
    assert "350.000" in text
    assert "-220.00" in text
    download = member.get(url)
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_report_not_yet_rendered_asks_the_user_to_wait(member, march, django_capture_on_commit_callbacks):
    url = page_url(march, "report_pdf", "?period=2026-03")
    with django_capture_on_commit_callbacks(execute=False):
        member.post(url, {"period": "2026-03"})

    body = member.get(url).content.decode()

    assert "The PDF is being prepared" in body
    assert 'http-equiv="refresh"' in body


def test_member_of_another_organization_gets_404_for_the_report(client, tenant, march, stranger):
    client.force_login(stranger)

    for name in ("report", "report_csv", "report_pdf", "history", "payments", "current_month"):
        assert client.get(page_url(march, name, "?period=2026-03")).status_code == 404, name
    assert client.post(page_url(march, "report_pdf"), {"period": "2026-03"}).status_code == 404
    assert not MonthlyReport.objects.exists()


def test_a_russian_report_pdf_shows_the_russian_name_and_thousands_grouped(tenant, march):
    from billing.reports import render_report_pdf_bytes

    tenant.name_ru = "Узбекэнерго по-русски"
    tenant.save()
    make_invoice(march.account, D(2026, 3, 1), "12345.67", number="UZE-INV-2026-000009")
    report = MonthlyReport.objects.create(tenant=tenant, contract=march, period=D(2026, 3, 1), language="ru")

    reader = PdfReader(io.BytesIO(render_report_pdf_bytes(report)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    assert "Узбекэнерго по-русски" in text
    assert "12 345,67" in text
