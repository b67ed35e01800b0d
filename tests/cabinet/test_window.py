"""The submission window (W5): the 3 calendar days up to and including the contract's deadline
day in the month after the reporting period; a deadline on a day off moves to the next working
day of the tenant's calendar (real Russian and Uzbek holidays)."""

import datetime

import pytest

from cabinet.models import PeriodReading
from cabinet.windows import default_period, submission_window
from meters.models import Reading
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import row_data, url, water_meter, water_tenant

pytestmark = pytest.mark.django_db
D = datetime.date


def window_of(tenant, user, period, deadline_day, hot_water_day=None):
    contract = linked_contract(tenant, user, readings_deadline_day=deadline_day, hot_water_deadline_day=hot_water_day)
    return submission_window(contract, period), contract


def test_an_ordinary_deadline_gives_the_deadline_and_the_two_days_before(user):
    window, _contract = window_of(water_tenant(), user, D(2026, 9, 1), 8)
    assert (window.opens_on, window.closes_on, window.deadline_moved_from) == (D(2026, 10, 6), D(2026, 10, 8), None)


def test_a_deadline_on_a_saturday_moves_to_monday_in_russia(user):
    # 8 August 2026 is a Saturday.
    window, _contract = window_of(water_tenant(), user, D(2026, 7, 1), 8)
    assert window.closes_on == D(2026, 8, 10)
    assert window.opens_on == D(2026, 8, 8)
    assert window.deadline_moved_from == D(2026, 8, 8)


def test_a_deadline_on_victory_day_moves_past_the_weekend_and_the_observed_holiday(user):
    # 9 May 2026 (Saturday, Victory Day) → Sunday → Monday 11 May (observed holiday) → Tuesday 12 May.
    window, _contract = window_of(water_tenant(), user, D(2026, 4, 1), 9)
    assert (window.opens_on, window.closes_on) == (D(2026, 5, 10), D(2026, 5, 12))
    assert window.deadline_moved_from == D(2026, 5, 9)


def test_independence_day_moves_an_uzbek_deadline_to_the_next_day(user):
    # 1 September 2026 (Tuesday) is Independence Day in Uzbekistan.
    window, _contract = window_of(water_tenant("uzb", country="UZ"), user, D(2026, 8, 1), 1)
    assert (window.opens_on, window.closes_on) == (D(2026, 8, 31), D(2026, 9, 2))


def test_the_eid_holidays_move_an_uzbek_deadline_into_june(user):
    # 27-29 May 2026 are Eid al-Adha and decreed days off, 30-31 May a weekend.
    window, _contract = window_of(water_tenant("uzb", country="UZ"), user, D(2026, 4, 1), 27)
    assert (window.opens_on, window.closes_on) == (D(2026, 5, 30), D(2026, 6, 1))


def test_a_deadline_day_the_month_lacks_is_its_last_day(user):
    window, _contract = window_of(water_tenant(), user, D(2026, 3, 1), 31)
    assert window.closes_on == D(2026, 4, 30)


def test_hot_water_volumes_use_their_own_deadline_day(user):
    tenant = water_tenant()
    contract = linked_contract(tenant, user, readings_deadline_day=8, hot_water_deadline_day=6)
    assert submission_window(contract, D(2026, 9, 1), hot_water=True).closes_on == D(2026, 10, 6)


def test_the_page_starts_at_the_open_window_or_the_next_one(user):
    tenant = water_tenant()
    contract = linked_contract(tenant, user, readings_deadline_day=8)
    assert default_period(contract, D(2026, 10, 7)) == D(2026, 9, 1)  # September's window is open
    assert default_period(contract, D(2026, 10, 2)) == D(2026, 9, 1)  # ...and opens soon
    assert default_period(contract, D(2026, 10, 9)) == D(2026, 10, 1)  # closed: October's is next


# -- through the page ---------------------------------------------------------------------------


@pytest.fixture
def saturday_contract(user):
    """Deadline 8 August 2026 (a Saturday) moved to Monday 10 August: window 8-10 August."""
    tenant = water_tenant()
    contract = linked_contract(tenant, user, readings_deadline_day=8)
    meter = water_meter(contract, previous="120", previous_date=D(2026, 7, 5))
    return tenant, contract, meter


def submit_on(client, freeze_today, user, setting, day):
    tenant, contract, meter = setting
    freeze_today(day)
    client.force_login(user)
    data = {**row_data(meter, "130", day, period="2026-07"), "submit": "1"}
    return client.post(url(tenant, "period", contract), data, follow=True)


def test_three_days_before_the_moved_deadline_is_refused(client, freeze_today, user, saturday_contract):
    response = submit_on(client, freeze_today, user, saturday_contract, D(2026, 8, 7))
    import re

    print(re.findall(r"<main.*?</main>", response.content.decode(), re.S)[0][:3000])
    assert "July 2026 opens on 8 August 2026 and closes on 10 August 2026" in response.content.decode()
    assert not Reading.objects.filter(source=Reading.Source.LEGAL_ENTITY).exists()


@pytest.mark.parametrize("day", [D(2026, 8, 8), D(2026, 8, 9), D(2026, 8, 10)])
def test_the_last_three_days_up_to_the_moved_deadline_are_accepted(client, freeze_today, user, saturday_contract, day):
    submit_on(client, freeze_today, user, saturday_contract, day)
    booked = Reading.objects.get(source=Reading.Source.LEGAL_ENTITY)
    assert (booked.value, booked.reading_date) == (130, day)
    assert PeriodReading.objects.get().status == PeriodReading.Status.ACCEPTED


def test_after_the_window_the_refusal_gives_the_next_windows_dates(client, freeze_today, user, saturday_contract):
    response = submit_on(client, freeze_today, user, saturday_contract, D(2026, 8, 11))
    text = response.content.decode()
    # August's readings are due by Tuesday 8 September: window 6-8 September.
    assert "Submission for July 2026 closed on 10 August 2026" in text
    assert "The next window is from 6 September 2026 to 8 September 2026 (for August 2026)" in text
    assert not PeriodReading.objects.exists()
