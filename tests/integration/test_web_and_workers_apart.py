"""Web and workers apart (issue #14): two gunicorn web processes and a Celery worker that share
only PostgreSQL (through PgBouncer in .ci/run), Redis and the object store (moto's S3 server).

A citizen logs in and sends W1 readings with a meter photo through web A; the application is
accepted through the service; the worker renders the invoice PDF into the object store; the
citizen downloads the PDF, and the photo, through web B, whose disk never saw either file.
"""

import datetime
import re
import time
import uuid
from decimal import Decimal

import pytest
import requests

from applications.models import Application
from billing.models import Invoice
from readings.services import accept_readings
from tests.accounts.factories import PASSWORD, UserFactory
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.meters.factories import account_with_history
from tests.portal.factories import StaffMembershipFactory, jpeg_bytes
from tests.readings.helpers import form_data, line_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def shared_storage(settings, monkeypatch, shared_store):
    """This process on the same object store and prefix as the web and worker processes."""
    import environ

    from portal.storage import s3_storages

    for name, value in shared_store.environment(shared_store.prefix).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, **s3_storages(environ.Env())}
    return shared_store


@pytest.fixture
def citizen_account(tenant, branch):
    tenant.application_prefix = "AZS"
    tenant.currency = "AZN"
    tenant.save(update_fields=["application_prefix", "currency"])
    account = account_with_history(tenant, branch, code="7700123")
    citizen = UserFactory(email=f"citizen-{uuid.uuid4().hex[:8]}@example.com", preferred_language="en")
    account.users.add(citizen)
    water = TariffFactory(tenant=tenant, name="Water", service="water", valid_from=datetime.date(2021, 2, 1))
    TariffBlockFactory(tariff=water, price=Decimal("0.70"))
    return citizen, account


def csrf_token(session, url):
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.text[:2000]
    return CSRF_INPUT.search(page.text).group(1)


def log_in(session, web, email):
    token = csrf_token(session, f"{web}/accounts/login/")
    response = session.post(
        f"{web}/accounts/login/", data={"email": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert response.status_code == 302, response.text[:2000]


def send_readings(session, web, account):
    start = f"{web}/azersu/readings/"
    response = session.post(
        start, data={"code": account.code, "csrfmiddlewaretoken": csrf_token(session, start)},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert response.status_code == 302, response.text[:2000]
    form = f"{web}/azersu/readings/form/"
    data = {**form_data(line_data(photo=False)), "csrfmiddlewaretoken": csrf_token(session, form)}
    files = {"lines-0-photo": ("meter.jpg", jpeg_bytes(), "image/jpeg")}
    response = session.post(form, data=data, files=files, allow_redirects=False, timeout=60)
    assert response.status_code == 302, response.text[:4000]


def wait_for_pdf(invoice, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        invoice.refresh_from_db()
        if invoice.pdf:
            return invoice
        time.sleep(0.3)
    raise AssertionError(f"the worker did not render invoice {invoice.number} within {timeout}s")


def test_sent_on_web_a_rendered_by_the_worker_downloaded_on_web_b(
    web_servers, celery_worker, broker, shared_storage, tenant, citizen_account
):
    web_a, web_b = web_servers
    citizen, account = citizen_account
    session = requests.Session()

    log_in(session, web_a, citizen.email)
    send_readings(session, web_a, account)

    application = Application.objects.get(applicant=citizen)
    line = application.reading_lines.get()
    photo_key = f"{shared_storage.prefix}/private/{line.photo.name}"
    assert photo_key in shared_storage.private_keys()  # web A wrote it to the object store

    # Acceptance through the service; the invoice's PDF task goes to the worker through Redis.
    accept_readings(application=application, actor=StaffMembershipFactory(tenant=tenant).user)
    invoice = wait_for_pdf(Invoice.objects.get(application=application))
    pdf_bytes = shared_storage.read_private(invoice.pdf.name)
    assert pdf_bytes.startswith(b"%PDF")

    # Web B: the same session (in PostgreSQL), the files from the object store.
    download = session.get(f"{web_b}/azersu/my/invoices/{invoice.number}/", timeout=30)
    assert download.status_code == 200, download.text[:2000]
    assert download.headers["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.content == pdf_bytes

    photo = session.get(f"{web_b}/azersu/readings/lines/{line.pk}/photo/", timeout=30)
    assert photo.status_code == 200
    assert photo.content == shared_storage.read_private(line.photo.name)

    stranger = requests.Session()
    log_in(stranger, web_b, UserFactory(email=f"stranger-{uuid.uuid4().hex[:8]}@example.com").email)
    assert stranger.get(f"{web_b}/azersu/my/invoices/{invoice.number}/", timeout=30).status_code == 404
