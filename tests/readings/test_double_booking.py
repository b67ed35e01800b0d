"""Readings cannot be booked twice or out of order (issue #8, item 9), written as the attack.

Every test prices water and wastewater at 0.50 AZN/m³ each (VAT included), so one cubic metre
costs exactly 1.00 AZN and an invoice total reads as the cubic metres it billed.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications.models import Status
from billing.invoicing import consumption_since_previous
from billing.models import Invoice, InvoiceLine
from meters.models import Reading
from meters.services import correct_reading
from portal.models import Notification
from portal.urls_helpers import tenant_reverse
from readings.models import SubmittedReading
from readings.services import (
    ReadingLine,
    ReviewRefused,
    accept_readings,
    record_on_site_check,
    send_to_on_site_check,
    submit_readings,
)
from tests.accounts.factories import UserFactory
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.meters.factories import MeterFactory, ReadingFactory, SubscriberAccountFactory
from tests.portal.factories import StaffMembershipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()  # Asia/Baku is ahead of UTC; every date below keeps a day of margin
BOOKED_ON = TODAY - datetime.timedelta(days=40)


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def meter(tenant, branch):
    """A cold-water meter whose last booked reading is 100.0 m³, forty days ago."""
    account = SubscriberAccountFactory(tenant=tenant, branch=branch, code="7700999")
    meter = MeterFactory(account=account, serial_number="SN-7001", seal_number="PL-7001")
    ReadingFactory(meter=meter, value=Decimal("100.000"), reading_date=BOOKED_ON)
    for service in ("water", "wastewater"):
        tariff = TariffFactory(tenant=tenant, name=service, service=service, valid_from=datetime.date(2021, 2, 1))
        TariffBlockFactory(tariff=tariff, price=Decimal("0.50"))
    return meter


@pytest.fixture
def reviewer(tenant):
    return StaffMembershipFactory(tenant=tenant).user


def submit(meter, applicant, value, reading_date, *, other_meter_value=None, other_meter=None):
    lines = [
        ReadingLine(
            meter=meter,
            entered_serial=meter.serial_number,
            entered_seal=meter.seal_number,
            value=Decimal(value),
            reading_date=reading_date,
        )
    ]
    if other_meter is not None:
        lines.append(
            ReadingLine(
                meter=other_meter,
                entered_serial=other_meter.serial_number,
                value=Decimal(other_meter_value),
                reading_date=reading_date,
            )
        )
    return submit_readings(
        tenant=meter.tenant,
        account=meter.account,
        applicant=applicant,
        lines=lines,
        contact_phone="",
        contact_email=applicant.email,
        notes="",
        idempotency_key=uuid.uuid4().hex,
        language="en",
    )


def billed_cubic_metres(meter):
    """The water billed for ``meter`` over every invoice not cancelled (credits count negative)."""
    lines = InvoiceLine.objects.filter(meter=meter, service="water").exclude(invoice__status=Invoice.Status.CANCELLED)
    return sum((line.quantity for line in lines), Decimal("0"))


def history(meter):
    """The meter's booked history in date order, as billing reads it."""
    rows = Reading.objects.filter(meter=meter, status=Reading.Status.ACCEPTED).order_by("reading_date", "pk")
    return [row.value for row in rows]


# -- the reproduced attack -----------------------------------------------------------------------


def test_two_pending_applications_for_one_meter_bill_the_real_consumption_once(meter, user, reviewer):
    """The meter stood at 100.0. Application A read 106.75 ten days ago; application B, submitted
    later, read 119.5 three days ago (the real figure: 19.5 m³ used). Both were pending. Staff
    accepted B (100.0 → 119.5: 19.5 m³ billed), then A: booked after B, A made the history go down
    (119.5 → 106.75), and since consumption was measured from the previous reading by date (100.0,
    before A's date) A billed 100.0 → 106.75 = 6.75 m³ again, already inside B's 19.5:
    19.5 + 6.75 = 26.25 m³ billed for a real 19.5.

    (The brief's pair 119.5/125.75 cannot make 26.25 from 100.0 — it gives 25.75 or 45.25 —;
    the on-site check test below uses that pair.)

    Now B supersedes A's pending line and A is closed, and even a stale acceptance of A is refused:
    19.5 m³ in total.
    """
    application_a = submit(meter, user, "106.75", days_ago(10))
    application_b = submit(meter, user, "119.5", days_ago(3))

    accept_readings(application=application_b, actor=reviewer)
    with pytest.raises(ReviewRefused):
        accept_readings(application=application_a, actor=reviewer)

    assert billed_cubic_metres(meter) == Decimal("19.5")
    assert history(meter) == [Decimal("100.000"), Decimal("119.500")]


# -- (a) a newer submission supersedes the pending line ---------------------------------------------


def test_a_newer_submission_supersedes_the_pending_line_and_closes_the_earlier_application(meter, user):
    earlier = submit(meter, user, "106.75", days_ago(10))
    newer = submit(meter, user, "119.5", days_ago(3))

    old_line, new_line = earlier.reading_lines.get(), newer.reading_lines.get()
    assert old_line.outcome == SubmittedReading.Outcome.SUPERSEDED
    assert old_line.superseded_by == new_line
    assert new_line.outcome == SubmittedReading.Outcome.PENDING
    earlier.refresh_from_db()
    assert earlier.status == Status.REJECTED
    assert newer.number in earlier.decision_reason


def test_the_citizen_is_told_which_earlier_reading_is_replaced(client, tenant, meter, user):
    earlier = submit(meter, user, "106.75", days_ago(10))
    newer = submit(meter, user, "119.5", days_ago(3))
    message = f"Your earlier reading of meter №SN-7001 in application {earlier.number} is replaced by this one."

    client.force_login(user)
    page = client.get(tenant_reverse(tenant, "readings:submission_done", kwargs={"number": newer.number}))
    mail = Notification.objects.filter(template="readings_registered").order_by("pk").last()

    assert message in page.content.decode()
    assert message in mail.body and message in mail.body_html
    # His own earlier application is closed without a second e-mail: the new page told him.
    assert not Notification.objects.filter(template="application_status_changed").exists()


def test_an_earlier_application_with_other_meters_stays_open_for_them(meter, user):
    second = MeterFactory(account=meter.account, serial_number="SN-7002")
    earlier = submit(meter, user, "106.75", days_ago(10), other_meter=second, other_meter_value="5")
    submit(meter, user, "119.5", days_ago(3))

    earlier.refresh_from_db()
    outcomes = {line.meter_id: line.outcome for line in earlier.reading_lines.all()}
    assert earlier.status == Status.SUBMITTED
    assert outcomes == {meter.pk: SubmittedReading.Outcome.SUPERSEDED, second.pk: SubmittedReading.Outcome.PENDING}
    assert "SN-7001 was replaced" in earlier.events.get(kind="comment").note


def test_someone_elses_replaced_reading_is_not_named_and_its_applicant_is_told(meter, user):
    relative = UserFactory(email="relative@example.com")
    earlier = submit(meter, relative, "106.75", days_ago(10))
    newer = submit(meter, user, "119.5", days_ago(3))

    registered = Notification.objects.get(template="readings_registered", recipient=user.email)
    assert "A reading of meter №SN-7001 submitted earlier" in registered.body
    assert earlier.number not in registered.body
    closed = Notification.objects.get(template="application_status_changed", recipient=relative.email)
    assert "Replaced by newer readings of the same meters" in closed.body
    assert newer.number not in closed.body


def test_an_application_sent_to_an_on_site_check_is_not_superseded(meter, user, reviewer):
    earlier = submit(meter, user, "106.75", days_ago(10))
    send_to_on_site_check(application=earlier, actor=reviewer, reason="Photo unreadable")
    submit(meter, user, "119.5", days_ago(3))

    earlier.refresh_from_db()
    assert earlier.status == Status.ON_SITE_CHECK
    assert earlier.reading_lines.get().outcome == SubmittedReading.Outcome.PENDING


# -- (b) acceptance re-checks against what was booked since ---------------------------------------


def test_acceptance_refuses_a_reading_below_one_booked_since_it_was_submitted(meter, user, reviewer):
    application = submit(meter, user, "106.75", days_ago(10))
    ReadingFactory(meter=meter, value=Decimal("119.500"), reading_date=days_ago(3))  # e.g. a staff entry

    with pytest.raises(ReviewRefused) as refused:
        accept_readings(application=application, actor=reviewer)

    assert refused.value.messages == [
        f"Meter №SN-7001: the reading 106.750 of {days_ago(10):%d.%m.%Y} is dated before the reading 119.500 "
        f"booked on {days_ago(3):%d.%m.%Y}. Reject the application or send it to an on-site check."
    ]
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.reading_lines.get().outcome == SubmittedReading.Outcome.PENDING
    assert not Invoice.objects.exists()


def test_acceptance_refuses_a_reading_below_the_latest_on_the_same_day(meter, user, reviewer):
    application = submit(meter, user, "106.75", days_ago(3))
    ReadingFactory(meter=meter, value=Decimal("110.000"), reading_date=days_ago(3))

    with pytest.raises(ReviewRefused) as refused:
        accept_readings(application=application, actor=reviewer)

    assert "is below the reading 110.000" in refused.value.messages[0]
    assert history(meter) == [Decimal("100.000"), Decimal("110.000")]


# -- (c) consumption between consecutive booked readings in date order ------------------------------


def test_consumption_is_measured_from_the_previous_reading_by_date_skipping_superseded_ones(meter, reviewer):
    wrong = ReadingFactory(meter=meter, value=Decimal("130.000"), reading_date=days_ago(20))
    corrected = correct_reading(reading=wrong, actor=reviewer, value=Decimal("110.000"), reading_date=days_ago(20))
    # Entered last, dated earlier: it sits between 100.0 and the correction in the history.
    ReadingFactory(meter=meter, value=Decimal("105.000"), reading_date=days_ago(30))
    latest = ReadingFactory(meter=meter, value=Decimal("120.000"), reading_date=days_ago(5))

    assert consumption_since_previous(latest) == (Decimal("10.000"), days_ago(20))
    assert consumption_since_previous(corrected) == (Decimal("5.000"), days_ago(30))


# -- (d) an inspector's reading below the booked one corrects it ---------------------------------------


def test_an_inspection_below_the_booked_reading_corrects_it_with_a_credit(meter, user, reviewer):
    """Meter at 100.0. Application A read 119.5 and was sent to an on-site check (so B does not
    supersede it). Application B, submitted later, read 125.75 and was accepted: 25.75 m³ billed.
    The inspector finds 119.5 on the meter: B's 125.75 was wrong. Before, the inspection was booked
    after 125.75 and billed max(119.5 − 125.75, 0) = a 0.00 invoice, leaving 25.75 m³ billed. Now it
    supersedes 125.75 and A's invoice reverses B's 25.75 and bills 100.0 → 119.5 = 19.5:
    −6.25 m³, so 25.75 − 6.25 = 19.5 m³ billed in total.
    """
    application_a = submit(meter, user, "119.5", days_ago(10))
    check = send_to_on_site_check(application=application_a, actor=reviewer, reason="Seal looks broken")
    application_b = submit(meter, user, "125.75", days_ago(5))
    accept_readings(application=application_b, actor=reviewer)
    assert billed_cubic_metres(meter) == Decimal("25.75")

    (booked,) = record_on_site_check(
        check=check, actor=reviewer, readings={meter: (Decimal("119.5"), "PL-7001")}, performed_on=days_ago(2)
    )

    wrong = application_b.reading_lines.get().booked_reading
    wrong.refresh_from_db()
    assert wrong.status == Reading.Status.SUPERSEDED and booked.supersedes == wrong
    assert booked.source == Reading.Source.INSPECTION
    assert history(meter) == [Decimal("100.000"), Decimal("119.500")]
    corrective = Invoice.objects.get(application=application_a)
    over_billed = Invoice.objects.get(application=application_b)
    # Per service 25.75 × 0.50 = 12.875 was billed as 12.88; the credit reverses exactly that cent.
    assert (over_billed.total, corrective.total) == (Decimal("25.76"), Decimal("-6.26"))
    assert over_billed.total + corrective.total == Decimal("19.50")
    assert billed_cubic_metres(meter) == Decimal("19.5")
    assert not Invoice.objects.filter(total=Decimal("0")).exists()


def test_an_inspection_dated_before_the_latest_booked_reading_is_refused(meter, user, reviewer):
    application = submit(meter, user, "119.5", days_ago(10))
    check = send_to_on_site_check(application=application, actor=reviewer, reason="Seal looks broken")
    ReadingFactory(meter=meter, value=Decimal("121.000"), reading_date=days_ago(3))

    with pytest.raises(ValidationError) as refused:
        record_on_site_check(
            check=check, actor=reviewer, readings={meter: (Decimal("119.5"), "")}, performed_on=days_ago(4)
        )

    assert "is before the reading 121.000" in " ".join(refused.value.messages)
    application.refresh_from_db()
    assert application.status == Status.ON_SITE_CHECK
