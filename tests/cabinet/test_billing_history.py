"""Billing history of a contract in the W4 cabinet: invoices by month with their PDFs."""

import datetime

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.urls_helpers import tenant_reverse
from tests.cabinet.billing_fixtures import make_invoice, page_url
from tests.meters.factories import ContractFactory

D = datetime.date


def test_history_groups_invoices_by_month_newest_first_with_pdf_links(member, contract):
    account = contract.account
    make_invoice(account, D(2026, 1, 1), "120.00", number="UZE-INV-2026-000001", vat="12.86")
    make_invoice(account, D(2026, 3, 1), "90.00", number="UZE-INV-2026-000003")
    make_invoice(account, D(2026, 3, 1), "15.50", number="UZE-INV-2026-000004")

    response = member.get(page_url(contract, "history", "?year=2026"))

    assert response.status_code == 200
    months = response.context["months"]
    assert [month for month, _invoices in months] == [D(2026, 3, 1), D(2026, 1, 1)]
    assert [invoice.number for invoice in months[0][1]] == ["UZE-INV-2026-000004", "UZE-INV-2026-000003"]
    body = response.content.decode()
    assert body.index("March 2026") < body.index("January 2026")
    assert tenant_reverse(contract.tenant, "billing:invoice_pdf", args=["UZE-INV-2026-000001"]) in body
    assert "12.86" in body


def test_history_filters_by_year(member, contract):
    make_invoice(contract.account, D(2025, 11, 1), "10.00", number="OLD-2025")
    make_invoice(contract.account, D(2026, 2, 1), "20.00", number="NEW-2026")

    latest = member.get(page_url(contract, "history")).content.decode()
    older = member.get(page_url(contract, "history", "?year=2025")).content.decode()

    assert "NEW-2026" in latest and "OLD-2025" not in latest
    assert "OLD-2025" in older and "NEW-2026" not in older


def _pdf_url(invoice):
    return tenant_reverse(invoice.tenant, "billing:invoice_pdf", args=[invoice.number])


def test_member_of_the_contracts_organization_downloads_the_invoice_pdf(member, contract):
    invoice = make_invoice(contract.account, D(2026, 2, 1), "50.00")
    invoice.pdf.save(f"{invoice.number}.pdf", ContentFile(b"%PDF-1.4 contract invoice"), save=True)

    response = member.get(_pdf_url(invoice))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_member_of_another_organization_gets_404_for_the_invoice(
    client, tenant, contract, stranger, other_organization
):
    invoice = make_invoice(contract.account, D(2026, 2, 1), "50.00")
    invoice.pdf.save(f"{invoice.number}.pdf", ContentFile(b"%PDF-1.4 contract invoice"), save=True)
    ContractFactory(tenant=tenant, organization=other_organization)
    client.force_login(stranger)

    assert client.get(_pdf_url(invoice)).status_code == 404
    assert client.get(page_url(contract, "history")).status_code == 404


def _queries(client, url):
    # Warmed up: the first request after a login stamps the session's activity (once a minute).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_history_costs_the_same_queries_for_1_and_24_invoices(member, contract):
    make_invoice(contract.account, D(2024, 1, 1), "10.00")
    one = _queries(member, page_url(contract, "history", "?year=2024"))
    for month in range(2, 13):
        make_invoice(contract.account, D(2024, month, 1), "10.00")
    for month in range(1, 13):
        make_invoice(contract.account, D(2025, month, 1), "10.00", number=f"X-{month}")
    assert _queries(member, page_url(contract, "history", "?year=2024")) == one
    assert _queries(member, page_url(contract, "history", "?year=2025")) == one
