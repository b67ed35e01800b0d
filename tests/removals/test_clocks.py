"""Every W3 clock on the Azerbaijani calendar of 2026 (Novruz and Ramadan holidays 20–30 March)."""

import datetime
from decimal import Decimal

import pytest

from applications.models import StageClock
from portal.models import CalendarDay
from removals import services
from removals.kinds import StageCode
from removals.models import Channel, Reason, Result
from tests.removals.helpers import Cast, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def clock(removal, stage):
    return StageClock.objects.get(application=removal.application, stage=stage)


def test_baku_meter_removed_the_day_before_novruz_reaches_the_lab_within_five_working_days(cast):
    removal = cast.removed(cast.case(branch=cast.baku), when=at(2026, 3, 19))
    delivery = clock(removal, StageCode.REMOVED)
    assert delivery.started_on == datetime.date(2026, 3, 19)
    assert delivery.term_days == 5
    # 20–30 March are holidays: 31 Mar, 1, 2, 3 and 6 April are the five working days.
    assert delivery.due_on == datetime.date(2026, 4, 6)
    removal.application.refresh_from_db()
    assert removal.application.due_on == datetime.date(2026, 4, 6)


def test_ganja_meter_removed_the_same_day_has_ten_working_days(cast):
    removal = cast.removed(cast.case(branch=cast.ganja), when=at(2026, 3, 19))
    delivery = clock(removal, StageCode.REMOVED)
    assert delivery.term_days == 10
    assert delivery.due_on == datetime.date(2026, 4, 13)


def test_delivery_after_the_legal_date_shows_as_late(cast):
    removal = cast.removed(cast.case(branch=cast.baku), when=at(2026, 3, 19))
    services.record_delivery(removal=removal, actor=cast.staff, delivered_on=datetime.date(2026, 4, 7))
    delivery = clock(removal, StageCode.REMOVED)
    assert delivery.finished_on == datetime.date(2026, 4, 7)
    assert delivery.is_late(datetime.date(2026, 4, 7))
    lab = clock(removal, StageCode.AT_LAB)
    # §2.4: verified within 10 working days of arrival.
    assert lab.term_days == 10 and lab.due_on == datetime.date(2026, 4, 21)


def test_acts_are_due_seven_working_days_after_an_intake_on_a_transferred_working_saturday(cast):
    # Staff add the decree's correction: Saturday 11 April 2026 is a working day.
    CalendarDay.objects.create(
        tenant=cast.tenant,
        date=datetime.date(2026, 4, 11),
        kind=CalendarDay.Kind.WORKING_DAY,
        name="Transferred working day",
    )
    removal = cast.removed(cast.case(branch=cast.ganja), when=at(2026, 4, 1))
    services.record_delivery(removal=removal, actor=cast.staff, delivered_on=datetime.date(2026, 4, 10))
    services.record_intake(
        removal=removal,
        actor=cast.staff,
        intake_on=datetime.date(2026, 4, 11),
        reading=Decimal("1234.500"),
        seals="A-1, A-2",
    )
    services.record_verification(
        removal=removal,
        actor=cast.staff,
        result=Result.UNFIT,
        verified_on=datetime.date(2026, 4, 15),
        certificate_number="N-15",
    )
    acts = clock(removal, StageCode.VERIFIED)
    # Counted from the intake (§2.5), not from the verification: 13–17, 20, 21 April.
    assert acts.started_on == datetime.date(2026, 4, 11)
    assert acts.due_on == datetime.date(2026, 4, 21)


def test_a_transferred_working_saturday_counts_in_the_acts_term(cast):
    CalendarDay.objects.create(
        tenant=cast.tenant,
        date=datetime.date(2026, 4, 11),
        kind=CalendarDay.Kind.WORKING_DAY,
        name="Transferred working day",
    )
    removal = cast.removed(cast.case(branch=cast.ganja), when=at(2026, 4, 1))
    services.record_intake(
        removal=removal,
        actor=cast.staff,
        intake_on=datetime.date(2026, 4, 10),
        reading=Decimal("1234.500"),
        seals="A-1, A-2",
    )
    services.record_verification(
        removal=removal,
        actor=cast.staff,
        result=Result.UNFIT,
        verified_on=datetime.date(2026, 4, 15),
        certificate_number="N-15",
    )
    # 11 (the Saturday), 13–17 and 20 April; without the correction it would be the 21st.
    assert clock(removal, StageCode.VERIFIED).due_on == datetime.date(2026, 4, 20)


def test_out_of_hours_call_starts_with_supply_stopped_and_work_due_the_next_working_day(cast):
    removal = cast.case(reason=Reason.LEAK, channel=Channel.OUT_OF_HOURS)
    registered = clock(removal, StageCode.REGISTERED)
    assert registered.term_days == 1
    from portal.workdays import calendar_for

    assert registered.due_on == calendar_for(cast.tenant).add_working_days(registered.started_on, 1)
    assert removal.meter.suspensions.filter(restored_at__isnull=True).exists()


def test_beat_task_tells_the_branch_once_of_a_late_stage(cast, mailoutbox):
    from portal.models import Notification

    removal = cast.removed(cast.case(branch=cast.baku), when=at(2026, 3, 19))
    assert services.notice_overdue_stages(today=datetime.date(2026, 4, 7)) == 1
    assert services.notice_overdue_stages(today=datetime.date(2026, 4, 8)) == 0
    notices = Notification.objects.filter(template="removal_stage_overdue")
    assert notices.count() == 1 and notices.get().recipient == "staff@azerigaz.test"
    assert removal.application.number in notices.get().body
    assert clock(removal, StageCode.REMOVED).overdue_noticed_on == datetime.date(2026, 4, 7)
