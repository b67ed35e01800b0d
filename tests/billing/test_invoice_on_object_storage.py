"""Invoice PDFs on the shared object store (moto's S3 server on loopback): rendered by the task
into the private bucket, with the tenant's logo read from the media bucket, and downloaded only
after the permission check: streamed by the web process, or (PRIVATE_FILES_SIGNED_URLS) a
redirect to a short-lived signed URL the object store answers as an attachment."""

import datetime
import io
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from billing import tasks
from billing.invoicing import form_invoice_for_application
from portal.urls_helpers import tenant_reverse
from tests.billing.conftest import book
from tests.object_store import PUBLIC_BUCKET
from tests.portal.factories import StaffMembershipFactory, login_verified_staff


@pytest.fixture
def invoice(application, meter, water_tariffs, freeze_today):
    freeze_today(datetime.date(2026, 10, 5))
    book(meter, "100", datetime.date(2026, 9, 1))
    reading = book(meter, "110", datetime.date(2026, 10, 1))
    return form_invoice_for_application(application=application, booked_readings=[reading])


@pytest.fixture
def rendered(s3, invoice):
    tasks.render_invoice_pdf.apply(args=[invoice.pk])
    invoice.refresh_from_db()
    return invoice


def url(invoice, slug="azersu"):
    return f"/{slug}/my/invoices/{invoice.number}/"


def logo_png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#0067b1").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_task_renders_the_pdf_into_the_private_bucket_with_the_logo_from_the_media_bucket(s3, tenant, invoice):
    tenant.logo.save("logo.png", ContentFile(logo_png()))
    assert s3.keys(PUBLIC_BUCKET, f"{s3.prefix}/media/") == [f"{s3.prefix}/media/{tenant.logo.name}"]

    tasks.render_invoice_pdf.apply(args=[invoice.pk])

    invoice.refresh_from_db()
    assert s3.private_keys() == [f"{s3.prefix}/private/{invoice.pdf.name}"]
    reader = PdfReader(io.BytesIO(s3.read_private(invoice.pdf.name)))
    assert invoice.number in reader.pages[0].extract_text()
    assert len(reader.pages[0].images) == 1  # the logo, fetched from the object store


def test_the_logo_is_served_under_our_own_origin(s3, client, tenant):
    tenant.logo.save("logo.png", ContentFile(logo_png()))

    response = client.get(tenant_reverse(tenant, "tenant_logo"))

    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == logo_png()


def test_the_applicant_gets_the_pdf_streamed_from_the_object_store(s3, client, user, rendered):
    client.force_login(user)

    response = client.get(url(rendered))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{rendered.number}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == s3.read_private(rendered.pdf.name)


def test_strangers_staff_of_another_tenant_and_unverified_staff_get_404(
    client, other_user, tenant, other_tenant, rendered
):
    client.force_login(other_user)
    assert client.get(url(rendered)).status_code == 404
    client.logout()
    login_verified_staff(client, StaffMembershipFactory(tenant=other_tenant).user)
    assert client.get(url(rendered)).status_code == 404
    client.logout()
    client.force_login(StaffMembershipFactory(tenant=tenant).user)  # password only, no second factor
    assert client.get(url(rendered)).status_code == 404


def fetch(address):
    try:
        with urllib.request.urlopen(address, timeout=10) as response:  # noqa: S310 - loopback moto
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def signed_urls(settings):
    settings.PRIVATE_FILES_SIGNED_URLS = True
    settings.PRIVATE_FILES_URL_SECONDS = 30


def test_with_signed_urls_the_view_checks_then_redirects_to_a_short_lived_attachment_url(
    signed_urls, s3, client, user, other_user, rendered
):
    client.force_login(user)
    before = time.time()

    response = client.get(url(rendered))

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    location = response["Location"]
    assert location.startswith(f"{s3.endpoint}/")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["30"]
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    assert before - 5 <= signed_at.timestamp() <= time.time() + 1  # so it expires 30 s from now
    assert query["response-content-disposition"] == [f'attachment; filename="{rendered.number}.pdf"']

    status, headers, body = fetch(location)
    assert status == 200
    assert headers["Content-Disposition"] == f'attachment; filename="{rendered.number}.pdf"'
    assert headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF")

    assert fetch(urlunsplit(urlsplit(location)._replace(query="")))[0] == 403  # the object is not public

    client.logout()
    client.force_login(other_user)
    assert client.get(url(rendered)).status_code == 404  # no URL for anyone the check refuses
