"""A meter whose state verification has expired may still be read: the citizen is told, and the
line is flagged so staff arrange the verification."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.urls_helpers import tenant_reverse
from readings.models import SubmittedReading
from readings.services import ReadingLine, submit_readings
from tests.meters.factories import TODAY, account_with_history
from tests.portal.factories import login_verified_staff
from tests.readings.helpers import YESTERDAY
from tests.readings.test_admin_review import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(tenant, branch):
    account = account_with_history(tenant, branch)
    account.meters.update(verification_due_on=TODAY - datetime.timedelta(days=1))
    return account


def submit(tenant, account, user):
    meter = account.meters.get()
    line = ReadingLine(
        meter=meter,
        entered_serial=meter.serial_number,
        entered_seal=meter.seal_number,
        value=Decimal("212"),
        reading_date=YESTERDAY,
        photo=None,
        confirmed=False,
    )
    return submit_readings(
        tenant=tenant,
        account=account,
        applicant=user,
        lines=[line],
        contact_phone="",
        contact_email="citizen@example.com",
        notes="",
        idempotency_key=uuid.uuid4().hex,
        language="en",
    )


def test_the_w1_form_warns_about_an_expired_verification(client, tenant, account, user):
    client.force_login(user)
    client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code})
    page = client.get(tenant_reverse(tenant, "readings:submit_readings_form")).text
    assert "The state verification of meter SN-0000 was due on" in page


def test_a_verification_due_today_is_not_expired(client, tenant, account, user):
    account.meters.update(verification_due_on=TODAY)
    client.force_login(user)
    client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code})
    page = client.get(tenant_reverse(tenant, "readings:submit_readings_form")).text
    assert "The state verification of meter" not in page


def test_the_reading_is_accepted_and_flagged_for_staff(tenant, account, user):
    line = submit(tenant, account, user).reading_lines.get()
    assert line.flags == [SubmittedReading.Flag.VERIFICATION_EXPIRED]


def test_the_review_page_shows_the_expired_verification(client, tenant, branch, account, user):
    application = submit(tenant, account, user)
    login_verified_staff(client, staff(tenant, [branch], "reviewer@azersu.test"))
    page = client.get(reverse("admin:readings_readingsapplication_change", args=[application.pk])).text
    assert "State verification expired on" in page
