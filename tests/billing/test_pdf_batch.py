"""Invoice PDFs at scale (#12, goal 3): one renderer per process, PDFs on the first download and
kept, every invoice readable at once as a page, and a company's monthly pack for its members."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from billing import pdf_batch, tasks
from billing.documents import invoice_pdf_extras, render_invoice_pdf_bytes
from billing.invoicing import form_period_invoice
from billing.models import Invoice, InvoicePack
from billing.run.chunks import work_on_run
from billing.run.planning import start_billing_run
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.billing.conftest import book
from tests.meters.factories import ContractFactory, MeterFactory

OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def run_invoice(account, meter, water_tariffs, freeze_today):
    freeze_today(datetime.date(2026, 11, 2))
    book(meter, "100", datetime.date(2026, 9, 28))
    book(meter, "112.5", datetime.date(2026, 10, 20))
    run = start_billing_run(tenant=account.tenant, period=OCTOBER)
    work_on_run(run.pk)
    return Invoice.objects.select_related("tenant", "account").get(account=account)


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_renderer_prints_the_lines_vat_and_requisites(run_invoice):
    text = pdf_text(render_invoice_pdf_bytes(run_invoice))

    assert run_invoice.number in text
    assert run_invoice.payment_reference in text
    assert "8.75" in text  # 12.5 m³ × 0.70 water
    assert "VAT" in text


def test_the_stylesheet_and_fonts_are_parsed_once_per_process(run_invoice, monkeypatch):
    pdf_batch.renderer.cache_clear()
    built = []
    real_css = pdf_batch.CSS
    monkeypatch.setattr(pdf_batch, "CSS", lambda **kwargs: built.append(1) or real_css(**kwargs))

    render_invoice_pdf_bytes(run_invoice)
    render_invoice_pdf_bytes(run_invoice)

    assert built == [1]
    assert pdf_batch.renderer() is pdf_batch.renderer()
    pdf_batch.renderer.cache_clear()


def test_the_renderer_fetches_nothing_but_our_static_files(run_invoice):
    renderer = pdf_batch.renderer()
    html = renderer.html(run_invoice, invoice_pdf_extras(run_invoice))

    assert "invoice.css" not in html  # passed parsed, not linked
    with pytest.raises(ValueError):
        renderer.fetcher.fetch("file:///etc/passwd")


def test_a_run_invoice_gets_its_pdf_on_first_download_and_keeps_it(client, user, run_invoice, monkeypatch):
    assert not run_invoice.pdf
    assert run_invoice.billing_run_id is not None
    client.force_login(user)
    url = f"/azersu/my/invoices/{run_invoice.number}/"

    first = client.get(url)
    run_invoice.refresh_from_db()
    monkeypatch.setattr(pdf_batch.InvoiceRenderer, "render", lambda *args: pytest.fail("rendered twice"))
    second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert run_invoice.pdf


def test_the_sweep_leaves_run_invoices_to_be_rendered_on_demand(run_invoice, monkeypatch):
    Invoice.objects.filter(pk=run_invoice.pk).update(created_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))

    assert tasks.render_missing_invoice_pdfs() == 0


def test_the_invoice_page_shows_the_invoice_to_its_holder_only(client, user, run_invoice, other_user):
    url = f"/azersu/my/invoices/{run_invoice.number}/page/"
    client.force_login(user)

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert run_invoice.number in page and "8.75" in page and run_invoice.payment_reference in page
    client.force_login(other_user)
    assert client.get(url).status_code == 404


@pytest.fixture
def company(tenant, branch, water_tariffs, freeze_today):
    """An organization with two contracts of the tenant, each invoiced for October 2026."""
    freeze_today(datetime.date(2026, 11, 2))
    organization = OrganizationFactory()
    member = UserFactory(email="accountant@example.com", preferred_language="en")
    MembershipFactory(organization=organization, user=member)
    for serial in ("C-1", "C-2"):
        contract = ContractFactory(
            tenant=tenant, organization=organization, account__branch=branch, account__category="household"
        )
        meter = MeterFactory(account=contract.account, serial_number=serial, initial_reading=Decimal("0"))
        book(meter, "30", datetime.date(2026, 10, 8))
        form_period_invoice(
            account=contract.account,
            period_start=OCTOBER,
            period_end=datetime.date(2026, 10, 31),
            render_pdf=False,
        )
    return organization, member


def test_a_member_downloads_the_companys_invoices_of_the_month_in_one_pdf(
    client, company, django_capture_on_commit_callbacks
):
    organization, member = company
    client.force_login(member)
    url = f"/azersu/my/invoice-packs/{organization.pk}/2026-10/"

    with django_capture_on_commit_callbacks(execute=True):
        preparing = client.get(url)
    response = client.get(url)

    assert preparing.status_code == 200
    assert b"being prepared" in preparing.content
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    merged = b"".join(response.streaming_content) if response.streaming else response.content
    invoices = Invoice.objects.filter(account__contract__organization=organization)
    numbers = list(invoices.values_list("number", flat=True))
    assert len(numbers) == 2
    text = pdf_text(merged)
    assert all(number in text for number in numbers)
    pack = InvoicePack.objects.get(organization=organization)
    for invoice in Invoice.objects.filter(number__in=numbers):
        assert invoice.pdf  # each kept for its own download
    pack.pdf.delete(save=False)


def test_a_pack_is_refused_to_someone_outside_the_company(client, company, other_user):
    organization, _member = company
    client.force_login(other_user)

    assert client.get(f"/azersu/my/invoice-packs/{organization.pk}/2026-10/").status_code == 404
    assert not InvoicePack.objects.exists()


def test_a_month_without_invoices_says_so(client, company):
    organization, member = company
    client.force_login(member)

    response = client.get(f"/azersu/my/invoice-packs/{organization.pk}/2026-07/")

    assert response.status_code == 200
    assert b"no invoices" in response.content
    assert client.get(f"/azersu/my/invoice-packs/{organization.pk}/July/").status_code == 404
