"""W1 meter photos on the shared object store (moto's S3 server on loopback): checked and
re-encoded before they are stored, under a name the server chose, in the private bucket only,
and downloaded only through the permission-checking views."""

import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from applications.models import Application
from portal.urls_helpers import tenant_reverse
from readings.models import PhotoDraft, SubmittedReading
from readings.services.drafts import DRAFT_HOURS
from readings.tasks import purge_stale_photo_drafts
from tests.accounts.factories import UserFactory
from tests.meters.factories import account_with_history
from tests.portal.factories import StaffMembershipFactory, jpeg_bytes, login_verified_staff
from tests.readings.helpers import form_data, line_data

pytestmark = pytest.mark.django_db

SERVER_NAME = re.compile(r"drafts/\d{4}/\d{2}/[0-9a-f]{32}\.jpg")


@pytest.fixture
def account(tenant, branch):
    return account_with_history(tenant, branch)


@pytest.fixture
def citizen(client, user):
    client.force_login(user)
    return client


def photo_with_location():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (40.0, 24.0, 0.0)}  # GPS latitude
    return SimpleUploadedFile("../../etc/my meter.jpg", jpeg_bytes(exif=exif.tobytes()), content_type="image/jpeg")


def submit(client, tenant, account, data):
    client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code})
    return client.post(tenant_reverse(tenant, "readings:submit_readings_form"), data)


def test_a_submitted_photo_is_stored_re_encoded_in_the_private_bucket_under_a_server_name(s3, citizen, tenant, account):
    data = form_data(line_data(photo=False))
    data["lines-0-photo"] = photo_with_location()

    assert submit(citizen, tenant, account, data).status_code == 302

    line = SubmittedReading.objects.get()
    assert SERVER_NAME.fullmatch(line.photo.name)
    assert s3.private_keys() == [f"{s3.prefix}/private/{line.photo.name}"]
    stored = Image.open(io.BytesIO(s3.read_private(line.photo.name)))
    assert stored.format == "JPEG" and not stored.getexif()  # re-encoded: no location left
    assert not (settings.PRIVATE_STORAGE_ROOT / line.photo.name).exists()  # nothing on this machine's disk


def photo_url(tenant, line):
    return tenant_reverse(tenant, "readings:submission_photo", kwargs={"pk": line.pk})


def test_the_photo_is_streamed_from_the_object_store_to_the_applicant_only(s3, citizen, client, tenant, account):
    assert submit(citizen, tenant, account, form_data(line_data())).status_code == 302
    line = SubmittedReading.objects.get()
    number = Application.objects.get().number

    response = citizen.get(photo_url(tenant, line))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{number}-{line.pk}.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == s3.read_private(line.photo.name)

    client.logout()
    client.force_login(UserFactory())
    assert client.get(photo_url(tenant, line)).status_code == 404
    client.logout()
    login_verified_staff(client, StaffMembershipFactory(tenant=tenant).user)
    assert client.get(photo_url(tenant, line)).status_code == 200


def test_a_draft_photo_lives_on_the_object_store_and_is_purged_from_it(
    s3, citizen, tenant, account, django_capture_on_commit_callbacks
):
    submit(citizen, tenant, account, {**form_data(line_data(), key="e" * 32), "contact_email": "x"})
    draft = PhotoDraft.objects.get()
    assert s3.private_keys() == [f"{s3.prefix}/private/{draft.file.name}"]
    thumbnail = citizen.get(tenant_reverse(tenant, "readings:draft_photo", kwargs={"pk": draft.pk}))
    assert thumbnail.status_code == 200 and b"".join(thumbnail.streaming_content).startswith(b"\xff\xd8")

    PhotoDraft.objects.update(created_at=timezone.now() - timezone.timedelta(hours=DRAFT_HOURS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_stale_photo_drafts() == 1
    assert s3.private_keys() == []
