"""Staff decisions on a readings application: accept, reject, on-site check whose reading prevails."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications.models import Status
from billing.models import Invoice
from meters.models import Reading
from portal.models import Notification
from readings.models import OnSiteCheck, SubmittedReading
from readings.services import (
    ReadingLine,
    ReviewRefused,
    accept_readings,
    record_on_site_check,
    reject_readings,
    send_to_on_site_check,
    submit_readings,
)
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.meters.factories import account_with_history
from tests.portal.factories import StaffMembershipFactory
from tests.readings.helpers import YESTERDAY, jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(tenant, branch):
    return account_with_history(tenant, branch)


@pytest.fixture
def reviewer(tenant):
    return StaffMembershipFactory(tenant=tenant).user


def submit(tenant, account, user, value="212", photo=None, confirmed=False):
    meter = account.meters.get()
    return submit_readings(
        tenant=tenant,
        account=account,
        applicant=user,
        lines=[
            ReadingLine(
                meter=meter,
                entered_serial=meter.serial_number,
                entered_seal=meter.seal_number,
                value=Decimal(value),
                reading_date=YESTERDAY,
                photo=photo,
                confirmed=confirmed,
            )
        ],
        contact_phone="+994501234567",
        contact_email="citizen@example.com",
        notes="",
        idempotency_key=uuid.uuid4().hex,
        language="en",
    )


def test_accepting_books_the_readings_executes_and_forms_the_invoice(tenant, account, user, reviewer):
    TariffBlockFactory(tariff=TariffFactory(tenant=tenant))
    application = submit(tenant, account, user, photo=jpeg_upload())
    accept_readings(application=application, actor=reviewer)

    application.refresh_from_db()
    line = application.reading_lines.get()
    booked = line.booked_reading
    assert application.status == Status.EXECUTED
    assert line.outcome == SubmittedReading.Outcome.ACCEPTED
    assert (booked.value, booked.source, booked.status) == (
        Decimal("212"),
        Reading.Source.CITIZEN,
        Reading.Status.ACCEPTED,
    )
    assert booked.photo.name == line.photo.name
    assert not account.users.filter(pk=user.pk).exists()  # submitting readings never makes a holder
    invoice = Invoice.objects.get(application=application)
    assert invoice.account == account and invoice.total > 0


def test_a_second_accept_is_refused_and_books_nothing_more(tenant, account, user, reviewer):
    application = submit(tenant, account, user)
    accept_readings(application=application, actor=reviewer)
    with pytest.raises(ReviewRefused):
        accept_readings(application=application, actor=reviewer)
    assert Reading.objects.filter(source=Reading.Source.CITIZEN).count() == 1


def test_rejecting_needs_a_reason_and_tells_the_citizen(tenant, account, user, reviewer):
    application = submit(tenant, account, user)
    with pytest.raises(ValidationError):
        reject_readings(application=application, actor=reviewer, reason="  ")
    reject_readings(application=application, actor=reviewer, reason="The photo shows another meter.")
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.decision_reason == "The photo shows another meter."
    assert application.reading_lines.get().outcome == SubmittedReading.Outcome.REJECTED
    assert not Reading.objects.filter(source=Reading.Source.CITIZEN).exists()
    mail = Notification.objects.get(template="application_status_changed", channel="email")
    assert "The photo shows another meter." in mail.body


def test_the_on_site_reading_prevails_over_the_submitted_one(tenant, account, user, reviewer):
    application = submit(tenant, account, user, value="900", photo=jpeg_upload(), confirmed=True)
    check = send_to_on_site_check(application=application, actor=reviewer, reason="Consumption jump")
    application.refresh_from_db()
    assert application.status == Status.ON_SITE_CHECK
    assert check.branch == account.branch and check.due_on > YESTERDAY
    meter = account.meters.get()

    record_on_site_check(
        check=check,
        actor=reviewer,
        readings={meter: (Decimal("214.250"), "PL-NEW")},
        performed_on=datetime.date.today() - datetime.timedelta(days=1),
        note="The citizen read the red digits.",
    )
    application.refresh_from_db()
    line = application.reading_lines.get()
    assert application.status == Status.EXECUTED
    assert line.outcome == SubmittedReading.Outcome.INSPECTED
    assert (line.booked_reading.value, line.booked_reading.source) == (Decimal("214.250"), Reading.Source.INSPECTION)
    assert not Reading.objects.filter(value=Decimal("900")).exists()
    check.refresh_from_db()
    assert check.status == OnSiteCheck.Status.DONE and check.readings.get().seal_number == "PL-NEW"


def test_an_on_site_check_is_recorded_once(tenant, account, user, reviewer):
    application = submit(tenant, account, user)
    check = send_to_on_site_check(application=application, actor=reviewer, reason="Seal")
    meter = account.meters.get()
    record_on_site_check(check=check, actor=reviewer, readings={meter: (Decimal("213"), "")}, performed_on=YESTERDAY)
    with pytest.raises(ReviewRefused):
        record_on_site_check(
            check=check, actor=reviewer, readings={meter: (Decimal("213"), "")}, performed_on=YESTERDAY
        )
    assert Reading.objects.filter(source=Reading.Source.INSPECTION).count() == 1


def test_accept_is_refused_while_the_on_site_check_is_open(tenant, account, user, reviewer):
    application = submit(tenant, account, user)
    send_to_on_site_check(application=application, actor=reviewer, reason="Seal")
    with pytest.raises(ReviewRefused):
        accept_readings(application=application, actor=reviewer)


def test_without_a_tariff_in_force_the_citizen_still_hears_the_application_was_executed(
    tenant, account, user, reviewer, django_capture_on_commit_callbacks
):
    application = submit(tenant, account, user)
    with django_capture_on_commit_callbacks(execute=True):
        accept_readings(application=application, actor=reviewer)

    application.refresh_from_db()
    assert application.status == Status.EXECUTED
    assert not Invoice.objects.filter(application=application).exists()
    assert Notification.objects.filter(
        template="application_status_changed", related_id=str(application.pk), channel="email"
    ).exists()


def test_with_an_invoice_the_generic_status_email_is_not_sent_twice(tenant, account, user, reviewer):
    account.users.add(user)  # a holder gets the invoice e-mail instead
    TariffBlockFactory(tariff=TariffFactory(tenant=tenant))
    application = submit(tenant, account, user)
    accept_readings(application=application, actor=reviewer)
    assert not Notification.objects.filter(
        template="application_status_changed", related_id=str(application.pk)
    ).exists()
