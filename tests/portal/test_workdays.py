"""The per-tenant working-day calendar, checked against real published calendars.

Dates come from the `holidays` package (pinned 0.109) and the decrees it cites; each test names
the holiday or decree it relies on.
"""

from datetime import date, datetime

import pytest
from django.utils import translation

from portal.models import CalendarDay
from portal.workdays import calendar_for, transfer_day_off
from tests.portal.factories import TenantFactory

pytestmark = pytest.mark.django_db



@pytest.fixture
def azerbaijani_active():
    """Holiday names come in the active language, or the country's own where the package lacks
    it; these tests read them as an Azerbaijani page would (Russian and Uzbek names for RU/UZ)."""
    from django.utils import translation

    with translation.override("az"):
        yield


@pytest.fixture
def az(tenant):
    return calendar_for(tenant)  # Azersu, country AZ


@pytest.fixture
def ru(other_tenant):
    return calendar_for(other_tenant)  # Izhvodokanal, country RU


@pytest.fixture
def uz():
    return calendar_for(TenantFactory(slug="uzbekenergo", country_code="UZ", default_language="uz"))


# -- Azerbaijan -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("azerbaijani_active")
def test_novruz_is_five_days_off_and_its_weekend_days_move_to_the_next_working_days(az):
    # Novruz 2024: March 20-24; the 23rd and 24th fell on Saturday/Sunday and moved to
    # Monday 25 and Tuesday 26 (Labour Code art. 105.5).
    for day in range(20, 27):
        assert not az.is_working_day(date(2024, 3, day)), day
    assert az.is_working_day(date(2024, 3, 27))
    assert az.holiday_name(date(2024, 3, 21)) == "Novruz bayramı"


def test_next_working_day_jumps_over_the_whole_2025_spring_holidays(az):
    # 2025: Novruz March 20-24 (+ observed 25, 26 for the weekend), decreed days off March 27 and 28
    # (Cabinet of Ministers decision nk.gov.az ...-8623, swapping them with March 10 and Ramadan's observed
    # April 1), then Ramadan bayram March 30-31.
    assert az.next_working_day(date(2025, 3, 19)) == date(2025, 4, 1)
    assert az.working_day_on_or_after(date(2025, 3, 22)) == date(2025, 4, 1)
    assert az.working_day_on_or_after(date(2025, 4, 1)) == date(2025, 4, 1)


@pytest.mark.usefixtures("azerbaijani_active")
def test_ramadan_bayram_on_a_saturday_gives_the_monday_off(az):
    # Ramadan bayram 2023: Friday April 21 and Saturday April 22; the Saturday moved to Monday April 24.
    assert not az.is_working_day(date(2023, 4, 21))
    assert not az.is_working_day(date(2023, 4, 24))
    assert "Ramazan" in az.holiday_name(date(2023, 4, 24))
    assert az.is_working_day(date(2023, 4, 25))


@pytest.mark.usefixtures("azerbaijani_active")
def test_gurban_bayram_on_a_sunday_moves_past_another_observed_holiday(az):
    # Gurban bayram 2024: Sunday June 16 and Monday June 17. National Liberation Day (Saturday June 15)
    # took Tuesday the 18th, so Gurban's Sunday moved to Wednesday June 19.
    for day in (15, 16, 17, 18, 19):
        assert not az.is_working_day(date(2024, 6, day)), day
    assert "Qurban" in az.holiday_name(date(2024, 6, 19))
    assert az.next_working_day(date(2024, 6, 14)) == date(2024, 6, 20)


def test_azerbaijan_decreed_working_saturday(az):
    # Cabinet of Ministers decision of 2024 (nk.gov.az ...-7843, cited by the package): Saturday April 6
    # worked, Friday April 12 off, next to Ramadan bayram April 10-11.
    assert az.is_working_day(date(2024, 4, 6))
    assert not az.is_working_day(date(2024, 4, 12))
    assert az.holiday_name(date(2024, 4, 6)) is None


def test_commemorative_working_days_are_not_days_off(az):
    # The package's WORKDAY category (Memorial Day September 27, Constitution Day November 12) are
    # working days; Friday 2024-09-27 is worked, Saturday 2025-09-27 stays a weekend day.
    assert az.is_working_day(date(2024, 9, 27))
    assert not az.is_working_day(date(2025, 9, 27))


def test_adding_working_days_across_novruz(az):
    # From Tuesday 2024-03-19: Wednesday 20 .. Tuesday 26 are off (Novruz), so the 1st working day is
    # the 27th and the 5th is Tuesday April 2.
    assert az.add_working_days(date(2024, 3, 19), 1) == date(2024, 3, 27)
    assert az.add_working_days(date(2024, 3, 19), 5) == date(2024, 4, 2)
    assert az.add_working_days(date(2024, 4, 2), -5) == date(2024, 3, 19)
    assert az.working_days_between(date(2024, 3, 19), date(2024, 4, 2)) == 5


def test_zero_working_days_is_the_day_itself_even_on_a_holiday(az):
    assert az.add_working_days(date(2024, 3, 21), 0) == date(2024, 3, 21)
    assert az.working_days_between(date(2024, 3, 21), date(2024, 3, 21)) == 0


def test_counting_back_from_a_weekend_starts_at_the_friday(az):
    assert az.add_working_days(date(2024, 5, 4), -1) == date(2024, 5, 3)  # Saturday -> Friday


@pytest.mark.parametrize("start", [date(2024, 3, 19), date(2024, 3, 23), date(2025, 3, 21), date(2024, 12, 28)])
@pytest.mark.parametrize("n", [-12, -5, -1, 0, 1, 3, 7, 20])
def test_working_days_between_undoes_add_working_days(az, start, n):
    assert az.working_days_between(start, az.add_working_days(start, n)) == n


def test_working_days_between_is_negative_backwards(az):
    # Monday 2024-04-01 .. Friday 2024-04-05: four working days after Monday.
    assert az.working_days_between(date(2024, 4, 1), date(2024, 4, 5)) == 4
    assert az.working_days_between(date(2024, 4, 5), date(2024, 4, 1)) == -4


# -- Russia ---------------------------------------------------------------------------------------


def test_russian_new_year_holidays_run_to_january_eighth(ru):
    # Labour Code art. 112: January 1-6 and 8 are New Year holidays, January 7 is Christmas.
    for day in range(1, 9):
        assert not ru.is_working_day(date(2025, 1, day)), day
    assert ru.is_working_day(date(2025, 1, 9))


def test_russian_2026_transfers_are_known(ru):
    # Government decree on the 2026 transfers (consultant.ru cons_doc_LAW_515170): January 9 (from
    # Saturday January 3) and December 31 (from Sunday January 4) are days off; March 9 and May 11 are the Mondays after
    # Women's Day (Sunday) and Victory Day (Saturday). Missing from holidays < 0.109.
    for day in (date(2026, 1, 9), date(2026, 3, 9), date(2026, 5, 11), date(2026, 12, 31)):
        assert not ru.is_working_day(day), day
    assert ru.next_working_day(date(2025, 12, 31)) == date(2026, 1, 12)


@pytest.mark.usefixtures("azerbaijani_active")
def test_russian_may_holidays(ru):
    # 2025: May 1-4 (May 2 moved from Saturday January 4) and May 8-11 (May 8 moved from Sunday
    # February 23), Government decree on the 2025 transfers (consultant.ru cons_doc_LAW_481586).
    for day in (1, 2, 3, 4, 8, 9, 10, 11):
        assert not ru.is_working_day(date(2025, 5, day)), day
    for day in (5, 6, 7, 12):
        assert ru.is_working_day(date(2025, 5, day)), day
    assert ru.holiday_name(date(2025, 5, 9)) == "День Победы"


def test_russian_working_saturday(ru):
    # 2025: Saturday November 1 worked, Monday November 3 off (the same 2025 decree).
    assert ru.is_working_day(date(2025, 11, 1))
    assert not ru.is_working_day(date(2025, 11, 3))
    assert ru.add_working_days(date(2025, 10, 31), 1) == date(2025, 11, 1)


# -- Uzbekistan -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("azerbaijani_active")
def test_uzbek_navruz_and_independence_day(uz):
    assert not uz.is_working_day(date(2025, 3, 21))  # Navruz, Friday
    assert uz.holiday_name(date(2025, 3, 21)) == "Navroʻz bayrami"
    assert not uz.is_working_day(date(2025, 9, 1))  # Independence Day, Monday
    assert uz.is_working_day(date(2025, 9, 2))


def test_uzbek_weekend_holidays_move_only_from_the_new_labour_code(uz):
    # Labour Code of 28.10.2022, in force 2023-04-30: a holiday on a weekend moves to the next working day.
    # Teachers' Day on Saturday 2022-10-01 did not move; on Sunday 2023-10-01 it moved to Monday.
    assert uz.is_working_day(date(2022, 10, 3))
    assert not uz.is_working_day(date(2023, 10, 2))
    # Independence Day on Sunday 2024-09-01 moved to Monday September 2 (and September 3 was added by decree).
    assert uz.next_working_day(date(2024, 8, 30)) == date(2024, 9, 4)


def test_uzbek_working_saturday(uz):
    # 2024: Saturday December 14 worked for Monday December 30 off (the 2024 decree, lex.uz/docs/-6704048).
    assert uz.is_working_day(date(2024, 12, 14))
    assert not uz.is_working_day(date(2024, 12, 30))


# -- Staff corrections ----------------------------------------------------------------------------


def test_a_correction_adds_a_day_off(tenant):
    CalendarDay.objects.create(tenant=tenant, date=date(2026, 4, 15), kind=CalendarDay.Kind.DAY_OFF, name="Elections")
    calendar = calendar_for(tenant)
    assert not calendar.is_working_day(date(2026, 4, 15))
    assert calendar.holiday_name(date(2026, 4, 15)) == "Elections"
    assert calendar.next_working_day(date(2026, 4, 14)) == date(2026, 4, 16)


def test_a_correction_makes_a_holiday_and_a_weekend_working(tenant):
    # Novruz 2026-03-23 (Monday) and Saturday 2026-04-11 made working by the tenant.
    for day in (date(2026, 3, 23), date(2026, 4, 11)):
        CalendarDay.objects.create(tenant=tenant, date=day, kind=CalendarDay.Kind.WORKING_DAY)
    calendar = calendar_for(tenant)
    assert calendar.is_working_day(date(2026, 3, 23))
    assert calendar.holiday_name(date(2026, 3, 23)) is None
    assert calendar.is_working_day(date(2026, 4, 11))


def test_a_correction_makes_a_package_working_saturday_a_day_off(other_tenant):
    CalendarDay.objects.create(tenant=other_tenant, date=date(2025, 11, 1), kind=CalendarDay.Kind.DAY_OFF)
    assert not calendar_for(other_tenant).is_working_day(date(2025, 11, 1))


def test_corrections_of_one_tenant_do_not_change_another(tenant):
    azerishiq = TenantFactory(slug="azerishiq", country_code="AZ")
    CalendarDay.objects.create(tenant=tenant, date=date(2026, 4, 15), kind=CalendarDay.Kind.DAY_OFF)
    assert calendar_for(azerishiq).is_working_day(date(2026, 4, 15))


def test_transfer_creates_both_rows(tenant):
    # A 2026 swap the package does not know (its Azerbaijani swaps end with 2025).
    transfer_day_off(tenant=tenant, from_date=date(2026, 6, 20), to_date=date(2026, 6, 22), reason="Decision No. 1")
    rows = CalendarDay.objects.for_tenant(tenant).order_by("date")
    assert [(r.date, r.kind, r.name) for r in rows] == [
        (date(2026, 6, 20), CalendarDay.Kind.WORKING_DAY, "Decision No. 1"),
        (date(2026, 6, 22), CalendarDay.Kind.DAY_OFF, "Decision No. 1"),
    ]
    calendar = calendar_for(tenant)
    assert calendar.is_working_day(date(2026, 6, 20)) and not calendar.is_working_day(date(2026, 6, 22))


@pytest.mark.parametrize(
    ("from_date", "to_date", "message"),
    [
        (date(2026, 6, 19), date(2026, 6, 22), "2026-06-19 is already a working day"),  # a Friday
        (date(2026, 6, 20), date(2026, 6, 21), "2026-06-21 is already a day off"),  # a Sunday
        (date(2026, 6, 20), date(2026, 6, 20), "must differ"),
    ],
)
def test_transfer_that_makes_no_sense_is_refused_and_writes_nothing(tenant, from_date, to_date, message):
    with pytest.raises(ValueError, match=message):
        transfer_day_off(tenant=tenant, from_date=from_date, to_date=to_date, reason="")
    assert not CalendarDay.objects.exists()


def test_transfer_onto_an_already_corrected_day_is_refused(tenant):
    CalendarDay.objects.create(tenant=tenant, date=date(2026, 6, 22), kind=CalendarDay.Kind.DAY_OFF)
    with pytest.raises(ValueError, match="already has a correction"):
        transfer_day_off(tenant=tenant, from_date=date(2026, 6, 20), to_date=date(2026, 6, 22), reason="")
    assert CalendarDay.objects.count() == 1


# -- Behaviour of the object ----------------------------------------------------------------------


def test_a_whole_year_costs_one_query(tenant, django_assert_max_num_queries):
    CalendarDay.objects.create(tenant=tenant, date=date(2026, 4, 15), kind=CalendarDay.Kind.DAY_OFF)
    with django_assert_max_num_queries(1):
        calendar = calendar_for(tenant)
        working = [calendar.is_working_day(date.fromordinal(date(2026, 1, 1).toordinal() + i)) for i in range(365)]
        calendar.holiday_name(date(2026, 4, 15))
        calendar.add_working_days(date(2026, 12, 20), 10)
    assert 240 <= sum(working) <= 255


def test_holiday_names_follow_the_active_language(tenant):
    with translation.override("en"):
        assert calendar_for(tenant).holiday_name(date(2024, 3, 21)) == "Spring Festival"
    with translation.override("ru"):  # the package has no Russian for Azerbaijan: Azerbaijani then
        assert calendar_for(tenant).holiday_name(date(2024, 3, 21)) == "Novruz bayramı"


def test_datetimes_are_refused_so_nobody_counts_in_utc(az):
    with pytest.raises(TypeError):
        az.is_working_day(datetime(2024, 3, 21, 10, 0))


def test_year_preview_lists_weekdays_off_and_worked_weekends(tenant):
    CalendarDay.objects.create(tenant=tenant, date=date(2024, 9, 10), kind=CalendarDay.Kind.DAY_OFF, name="Local")
    rows = {row.date: row for row in calendar_for(tenant).deviations(2024)}
    assert not rows[date(2024, 3, 25)].is_working and not rows[date(2024, 3, 25)].corrected  # Novruz observed
    assert rows[date(2024, 4, 6)].is_working  # the decreed working Saturday
    assert rows[date(2024, 9, 10)].corrected and rows[date(2024, 9, 10)].name == "Local"
    assert date(2024, 3, 23) not in rows  # Novruz on a Saturday is an ordinary day off
