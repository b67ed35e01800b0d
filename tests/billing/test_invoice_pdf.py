"""The invoice PDF rendered by the task, and the result e-mail queued once with it attached."""

import datetime
import io

import pytest
from django.core import mail
from pypdf import PdfReader

from billing import services, tasks
from billing.invoicing import form_invoice_for_application
from portal.models import Notification
from portal.pdf import BASE_URL, StaticOnlyFetcher
from tests.billing.conftest import book


@pytest.fixture
def invoice(application, meter, water_tariffs, freeze_today):
    freeze_today(datetime.date(2026, 10, 5))
    book(meter, "100", datetime.date(2026, 9, 1))
    reading = book(meter, "112.345", datetime.date(2026, 10, 1))
    return form_invoice_for_application(application=application, booked_readings=[reading])


def pdf_text(field_file):
    with field_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_task_renders_a_pdf_with_number_total_and_payment_reference(invoice):
    tasks.render_invoice_pdf.apply(args=[invoice.pk])

    invoice.refresh_from_db()
    assert invoice.pdf.name.startswith("invoices/2026/")
    text = pdf_text(invoice.pdf)
    assert invoice.number in text
    assert "12.34" in text
    assert invoice.payment_reference in text
    assert "Aysel Mammadova" in text


def test_the_pdf_is_in_the_applications_language(invoice):
    invoice.language = "en"
    invoice.save()

    tasks.render_invoice_pdf.apply(args=[invoice.pk])

    invoice.refresh_from_db()
    assert "Payment reference" in pdf_text(invoice.pdf)


def test_user_text_is_escaped_in_the_pdf(invoice):
    invoice.account.holder_name = '<img src="http://evil.example/x.png"> Aysel'
    invoice.account.save()

    tasks.render_invoice_pdf.apply(args=[invoice.pk])

    invoice.refresh_from_db()
    assert '<img src="http://evil.example/x.png"> Aysel' in pdf_text(invoice.pdf)


def test_the_result_email_is_queued_once_with_the_pdf_attached(invoice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.render_invoice_pdf.apply(args=[invoice.pk])
    tasks.render_invoice_pdf.apply(args=[invoice.pk])  # a retry or the sweep: nothing new

    invoice.refresh_from_db()
    notification = Notification.objects.get(template="invoice_ready")
    assert notification.recipient == "aysel@example.com"
    assert notification.attachments == [invoice.pdf.name]
    assert "AZS-2026-000001" in notification.subject
    assert "executed" in notification.body
    assert f"/azersu/my/invoices/{invoice.number}/" in notification.body
    assert len(mail.outbox) == 1
    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert (filename, mimetype) == (f"{invoice.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_without_a_contact_email_the_applicants_address_is_used(invoice, user):
    invoice.application.contact_email = ""
    invoice.application.save()

    tasks.render_invoice_pdf.apply(args=[invoice.pk])

    assert Notification.objects.get(template="invoice_ready").recipient == user.email


def test_the_sweep_queues_only_invoices_left_without_a_pdf(invoice, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "publish_render", queued.append)
    assert tasks.render_missing_invoice_pdfs.apply().get() == 0  # younger than a minute

    type(invoice).objects.filter(pk=invoice.pk).update(created_at=invoice.created_at - datetime.timedelta(minutes=5))

    assert tasks.render_missing_invoice_pdfs.apply().get() == 1
    assert queued == [invoice.pk]


def test_the_fetcher_serves_our_static_css():
    response = StaticOnlyFetcher().fetch(BASE_URL + "static/billing/invoice.css")

    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://evil.example/static/billing/invoice.css",
        "file:///etc/passwd",
        BASE_URL + "static/../../../../etc/passwd",
        BASE_URL + "static/%2e%2e/%2e%2e/settings.py",
        BASE_URL + "media/readings/2026/10/someone-elses-photo.jpg",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64,not base64!",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_the_tenants_logo_is_drawn_on_the_invoice(invoice, tenant):
    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#0067b1").save(buffer, "PNG")
    tenant.logo.save("logo.png", ContentFile(buffer.getvalue()))
    try:
        tasks.render_invoice_pdf.apply(args=[invoice.pk])
        invoice.refresh_from_db()
        with invoice.pdf.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        assert len(reader.pages[0].images) == 1
    finally:
        tenant.logo.delete(save=False)


def test_the_fetcher_serves_only_the_listed_logo_from_media():
    fetcher = StaticOnlyFetcher(allowed_media=["tenants/logos/azersu.png"])

    with pytest.raises(ValueError):
        fetcher.fetch(BASE_URL + "media/tenants/logos/other-tenant.png")
