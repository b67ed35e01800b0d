"""Claim attachments and contract documents on the shared object store (moto's S3 server on
loopback): stored under server-chosen names in the private bucket and downloaded only through the
permission-checking views."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.models import Application
from tests.cabinet.requests_support import key, make_cabinet, make_reviewer, pdf_upload, png_upload
from tests.portal.factories import login_verified_staff

pytestmark = pytest.mark.django_db

SERVER_NAME = re.compile(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png)")


@pytest.fixture
def cab():
    return make_cabinet()


def test_claim_attachments_go_to_the_private_bucket_and_only_members_and_staff_download_them(s3, client, cab):
    client.force_login(cab.accountant)
    data = {
        "idempotency_key": key(),
        "subject": "Wrong charge in October",
        "text": "The October invoice counts the meter twice.",
        "attachments": [pdf_upload("../invoice.pdf"), png_upload("meter.png")],
    }
    assert client.post(cab.url("claim_new"), data).status_code == 302

    attachments = list(Application.objects.get().attachments.order_by("original_name"))
    assert all(SERVER_NAME.fullmatch(a.file.name) for a in attachments), [a.file.name for a in attachments]
    assert sorted(s3.private_keys()) == sorted(f"{s3.prefix}/private/{a.file.name}" for a in attachments)

    pdf = attachments[0]
    download = client.get(cab.url("attachment", pk=pdf.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == s3.read_private(pdf.file.name)

    client.logout()
    client.force_login(cab.intruder)
    assert client.get(cab.url("attachment", pk=pdf.pk)).status_code == 404
    client.logout()
    make_reviewer(client, cab.tenant)
    application = pdf.application
    staff_download = client.get(f"/admin/cabinet/requestapplication/{application.pk}/attachments/{pdf.pk}/")
    assert staff_download.status_code == 200


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_contract_document_is_stored_in_the_private_bucket_and_served_to_verified_staff(s3, client, staff, contract):
    contract.document.save("contract.pdf", ContentFile(PDF), save=True)
    assert s3.private_keys() == [f"{s3.prefix}/private/{contract.document.name}"]
    url = reverse("admin:meters_contract_document", args=[contract.pk])

    client.force_login(staff)  # password only
    assert client.get(url).status_code in (302, 404)
    login_verified_staff(client, staff)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
