"""W1 after sending: the done page summarises what was sent and the review deadline; withdrawing
the application shows its readings as withdrawn."""

import pytest
from django.utils import translation
from django.utils.formats import date_format

from applications.models import Status
from portal.urls_helpers import tenant_reverse
from readings.models import SubmittedReading
from tests.meters.factories import account_with_history
from tests.readings.helpers import YESTERDAY, form_data, jpeg_upload, line_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(tenant, branch):
    return account_with_history(tenant, branch)


@pytest.fixture
def sent(client, tenant, account, user):
    """The citizen's application, sent with one photographed meter; returns the done page."""
    client.force_login(user)
    client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code})
    data = form_data(line_data(value="212"))
    data["lines-0-photo"] = jpeg_upload("kitchen meter.jpg")
    return client.post(tenant_reverse(tenant, "readings:submit_readings_form"), data, follow=True)


def test_the_done_page_lists_each_meter_with_reading_date_and_photo_name(sent):
    page = sent.content.decode()
    line = SubmittedReading.objects.get()
    assert line.photo_name == "kitchen meter.jpg"
    assert "SN-0000" in page and "212.000" in page
    assert date_format(YESTERDAY, "SHORT_DATE_FORMAT") in page
    assert "kitchen meter.jpg" in page


def test_the_done_page_gives_the_review_deadline_in_the_locales_format(client, sent):
    application = SubmittedReading.objects.get().application
    client.cookies["django_language"] = "ru"
    url = tenant_reverse(application.tenant, "readings:submission_done", kwargs={"number": application.number})
    page = client.get(url)
    with translation.override("ru"):
        expected = date_format(application.due_on, "DATE_FORMAT")
    assert expected in page.content.decode()


def test_withdrawing_shows_the_readings_as_withdrawn(client, sent):
    line = SubmittedReading.objects.get()
    url = tenant_reverse(line.tenant, "applications:withdraw", kwargs={"number": line.application.number})
    detail = client.post(url, {"confirm": "withdraw"}, follow=True).content.decode()

    line.refresh_from_db()
    assert line.application.status == Status.WITHDRAWN
    assert line.outcome == SubmittedReading.Outcome.WITHDRAWN
    assert "Withdrawn" in detail
