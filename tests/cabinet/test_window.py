"""The submission window (W5): the 3 calendar days up to and including the contract's deadline
day in the reporting month (the month the deadline falls in); a deadline on a day off adds the first
working day after it (real Russian and Uzbek holidays). A W4 cabinet has no window."""

import datetime

import pytest

from cabinet.models import CabinetSettings, PeriodReading
from cabinet.windows import default_period, submission_window
from meters.models import Reading
from portal.models import Workflow
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import row_data, url, water_meter, water_tenant

pytestmark = pytest.mark.django_db
D = datetime.date


def window_of(tenant, user, period, deadline_day, hot_water_day=None):
    contract = linked_contract(tenant, user, readings_deadline_day=deadline_day, hot_water_deadline_day=hot_water_day)
    return submission_window(contract, period), contract


def test_an_ordinary_deadline_gives_the_deadline_and_the_two_days_before(user):
    window, _contract = window_of(water_tenant(), user, D(2026, 10, 1), 8)
    assert (window.opens_on, window.closes_on, window.extra_day) == (D(2026, 10, 6), D(2026, 10, 8), None)


def test_the_period_is_the_month_the_deadline_falls_in_as_in_the_source_example(user):
    # The source submits the "October 2018" readings by the 8th: reading of 2018-10-08, previous of 2018-09-04.
    tenant = water_tenant()
    contract = linked_contract(tenant, user, readings_deadline_day=8)
    assert default_period(contract, D(2018, 10, 8)) == D(2018, 10, 1)
    window = submission_window(contract, D(2018, 10, 1))
    assert window.contains(D(2018, 10, 8)) and not window.contains(D(2018, 9, 4))
    assert default_period(contract, D(2018, 9, 4)) == D(2018, 9, 1)  # the previous reading: September's period


def test_the_page_labels_the_source_examples_period_october(client, freeze_today, user):
    tenant = water_tenant()
    contract = linked_contract(tenant, user, readings_deadline_day=8)
    water_meter(contract, previous="120", previous_date=D(2018, 9, 4))
    freeze_today(D(2018, 10, 8))
    client.force_login(user)
    text = client.get(url(tenant, "period", contract)).content.decode()
    assert '<option value="2018-10" selected>October 2018</option>' in text


def test_a_saturday_deadline_keeps_thursday_and_friday_and_adds_monday_in_russia(user):
    # 8 August 2026 is a Saturday: Thursday 6, Friday 7, Saturday 8 and Monday 10; not Sunday 9.
    window, _contract = window_of(water_tenant(), user, D(2026, 8, 1), 8)
    accepted = [day for day in (D(2026, 8, d) for d in range(4, 13)) if window.contains(day)]
    assert accepted == [D(2026, 8, 6), D(2026, 8, 7), D(2026, 8, 8), D(2026, 8, 10)]
    assert (window.deadline, window.extra_day) == (D(2026, 8, 8), D(2026, 8, 10))


def test_a_deadline_on_victory_day_adds_the_first_working_day_after_the_observed_holiday(user):
    # 9 May 2026 (Saturday, Victory Day) → Sunday → Monday 11 May (observed holiday) → Tuesday 12 May.
    window, _contract = window_of(water_tenant(), user, D(2026, 5, 1), 9)
    assert (window.opens_on, window.deadline, window.extra_day) == (D(2026, 5, 7), D(2026, 5, 9), D(2026, 5, 12))
    assert not window.contains(D(2026, 5, 11))


def test_independence_day_adds_the_next_day_to_an_uzbek_window(user):
    # 1 September 2026 (Tuesday) is Independence Day in Uzbekistan.
    window, _contract = window_of(water_tenant("uzb", country="UZ"), user, D(2026, 9, 1), 1)
    assert (window.opens_on, window.deadline, window.extra_day) == (D(2026, 8, 30), D(2026, 9, 1), D(2026, 9, 2))


def test_the_eid_holidays_add_a_day_in_june_to_an_uzbek_window(user):
    # 27-29 May 2026 are Eid al-Adha and decreed days off, 30-31 May a weekend.
    window, _contract = window_of(water_tenant("uzb", country="UZ"), user, D(2026, 5, 1), 27)
    assert (window.opens_on, window.closes_on) == (D(2026, 5, 25), D(2026, 6, 1))
    assert not window.contains(D(2026, 5, 30))


def test_a_deadline_day_the_month_lacks_is_its_last_day(user):
    window, _contract = window_of(water_tenant(), user, D(2026, 4, 1), 31)
    assert window.deadline == D(2026, 4, 30)


def test_hot_water_volumes_use_their_own_deadline_day(user):
    tenant = water_tenant()
    contract = linked_contract(tenant, user, readings_deadline_day=8, hot_water_deadline_day=6)
    assert submission_window(contract, D(2026, 10, 1), hot_water=True).closes_on == D(2026, 10, 6)


def test_the_page_starts_at_the_open_window_or_the_next_one(user):
    tenant = water_tenant()
    contract = linked_contract(tenant, user, readings_deadline_day=8)
    assert default_period(contract, D(2026, 10, 7)) == D(2026, 10, 1)  # October's window is open
    assert default_period(contract, D(2026, 10, 2)) == D(2026, 10, 1)  # ...and opens soon
    assert default_period(contract, D(2026, 10, 9)) == D(2026, 11, 1)  # closed: November's is next


# -- a W4 cabinet: no window ------------------------------------------------------------------


def test_a_w4_contract_takes_readings_of_any_period_at_any_time(client, freeze_today, user):
    tenant = water_tenant("uzbekenergo", country="UZ", workflow=Workflow.LEGAL_CABINET)
    assert CabinetSettings.of(tenant).readings_window is False
    contract = linked_contract(tenant, user, readings_deadline_day=5)
    meter = water_meter(contract, previous="120", previous_date=D(2026, 9, 5))
    freeze_today(D(2026, 10, 20))  # far from the 5th
    client.force_login(user)
    page = client.get(url(tenant, "period", contract)).content.decode()
    assert '<option value="2026-10" selected>October 2026</option>' in page
    assert "taken at any time" in page
    client.post(
        url(tenant, "period", contract), {**row_data(meter, "130", D(2026, 10, 20), period="2026-10"), "submit": "1"}
    )
    assert Reading.objects.get(source=Reading.Source.LEGAL_ENTITY).value == 130


def test_the_migration_turns_the_window_off_for_w4_tenants_only():
    from importlib import import_module

    from django.apps import apps

    from tests.portal.factories import TenantFactory

    w5 = TenantFactory(slug="w5", workflows=["contract_cabinet"])
    w4 = TenantFactory(slug="w4", workflows=["legal_cabinet"])
    CabinetSettings.objects.create(tenant=w4, readings_window=True)
    import_module("cabinet.migrations.0004_readings_window").window_by_workflow(apps, None)
    assert CabinetSettings.of(w5).readings_window is True
    assert CabinetSettings.of(w4).readings_window is False


# -- through the page ---------------------------------------------------------------------------


@pytest.fixture
def saturday_contract(user):
    """Deadline Saturday 8 August 2026: window Thursday 6 - Saturday 8 August and Monday 10 August."""
    tenant = water_tenant()
    contract = linked_contract(tenant, user, readings_deadline_day=8)
    meter = water_meter(contract, previous="120", previous_date=D(2026, 7, 5))
    return tenant, contract, meter


def submit_on(client, freeze_today, user, setting, day):
    tenant, contract, meter = setting
    freeze_today(day)
    client.force_login(user)
    data = {**row_data(meter, "130", day, period="2026-08"), "submit": "1"}
    return client.post(url(tenant, "period", contract), data, follow=True)


def test_the_day_before_the_window_is_refused(client, freeze_today, user, saturday_contract):
    response = submit_on(client, freeze_today, user, saturday_contract, D(2026, 8, 5))
    assert "August 2026 opens on 6 August 2026 and closes on 10 August 2026" in response.content.decode()
    assert not Reading.objects.filter(source=Reading.Source.LEGAL_ENTITY).exists()


@pytest.mark.parametrize("day", [D(2026, 8, 6), D(2026, 8, 7), D(2026, 8, 8), D(2026, 8, 10)])
def test_thursday_friday_saturday_and_monday_are_accepted(client, freeze_today, user, saturday_contract, day):
    submit_on(client, freeze_today, user, saturday_contract, day)
    booked = Reading.objects.get(source=Reading.Source.LEGAL_ENTITY)
    assert (booked.value, booked.reading_date) == (130, day)
    assert PeriodReading.objects.get().status == PeriodReading.Status.ACCEPTED


def test_the_sunday_after_a_saturday_deadline_is_refused(client, freeze_today, user, saturday_contract):
    response = submit_on(client, freeze_today, user, saturday_contract, D(2026, 8, 9))
    assert "accepted again on 10 August 2026, the first working day after it" in response.content.decode()
    assert not Reading.objects.filter(source=Reading.Source.LEGAL_ENTITY).exists()


def test_after_the_window_the_refusal_gives_the_next_windows_dates(client, freeze_today, user, saturday_contract):
    response = submit_on(client, freeze_today, user, saturday_contract, D(2026, 8, 11))
    text = response.content.decode()
    # September's readings are due by Tuesday 8 September: window 6-8 September.
    assert "Submission for August 2026 closed on 10 August 2026" in text
    assert "The next window is from 6 September 2026 to 8 September 2026 (for September 2026)" in text
    assert not PeriodReading.objects.exists()
