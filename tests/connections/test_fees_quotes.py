"""The quote as the form asks it (connections/quotes.py): the schedule in force, frozen quotes,
alternatives, the query count."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from connections import quotes
from connections.demo_fees import seed_fee_schedules
from connections.fees import NotCovered, OverlappingRules, Phase, Quote, Term
from connections.models import FeeRule, FeeSchedule
from tests.connections.factories_fees import FeeRuleFactory, FeeScheduleFactory, inputs


@pytest.fixture
def schedules(tenant):
    return seed_fee_schedules(tenant)


def test_the_schedule_in_force_is_the_latest_effective_on_or_before_the_day(tenant, schedules):
    current, history = schedules

    assert quotes.schedule_in_force(tenant, datetime.date(2024, 5, 3)) == current
    assert quotes.schedule_in_force(tenant, datetime.date(2024, 5, 2)) == history
    assert quotes.schedule_in_force(tenant, datetime.date(2018, 7, 23)) is None


def test_quote_for_prices_under_the_schedule_of_the_day(tenant, schedules):
    assert quotes.quote_for(tenant, inputs("12.5"), on=datetime.date(2026, 1, 10)).total == Decimal("750.00")
    assert quotes.quote_for(tenant, inputs("12.5"), on=datetime.date(2020, 1, 10)).total == Decimal("511.50")


def test_quote_for_defaults_to_the_tenants_today(tenant, schedules, freeze_today):
    freeze_today(datetime.date(2026, 12, 2))

    fee = quotes.quote_for(tenant, inputs("8"))

    assert (fee.computed_on, fee.schedule_id) == (datetime.date(2026, 12, 2), schedules[0].pk)


def test_no_schedule_in_force_is_refused(tenant):
    with pytest.raises(NotCovered):
        quotes.quote_for(tenant, inputs("8"), on=datetime.date(2026, 1, 1))


def test_another_tenants_schedule_is_never_used(tenant, other_tenant, schedules):
    with pytest.raises(NotCovered):
        quotes.quote_for(other_tenant, inputs("8"), on=datetime.date(2026, 1, 1))


def test_each_line_names_the_rule_that_produced_it(tenant, schedules):
    fee = quotes.quote_for(tenant, inputs("8"), on=datetime.date(2026, 1, 1))

    assert FeeRule.objects.get(pk=fee.lines[0].rule_id).label == "Single-phase ≤ 10 kW"
    assert fee.as_frozen()["lines"][0]["rule_id"] == fee.lines[0].rule_id


def test_a_frozen_quote_is_unchanged_after_the_schedule_changes(tenant, schedules):
    stored = quotes.quote_for(tenant, inputs("8"), on=datetime.date(2026, 1, 1)).as_frozen()

    FeeRule.objects.filter(schedule=schedules[0]).update(per_kw_amount=Decimal("99"))
    FeeSchedule.objects.filter(pk=schedules[0].pk).update(name="Renamed", vat_rate=Decimal("20"))

    shown = Quote.from_frozen(stored)
    assert (shown.total, shown.vat, shown.schedule_name) == (Decimal("320.00"), Decimal("48.81"), schedules[0].name)
    assert quotes.quote_for(tenant, inputs("8"), on=datetime.date(2026, 1, 1)).total == Decimal("792.00")


def test_alternatives_show_the_other_phase_the_other_term_and_the_top_of_the_band(tenant, schedules):
    found = {
        alternative.kind: alternative
        for alternative in quotes.alternatives(tenant, inputs("8"), on=datetime.date(2026, 1, 1))
    }

    assert found["phase"].inputs.phase == Phase.THREE and found["phase"].quote.total == Decimal("2344.00")
    assert found["term"].inputs.term == Term.URGENT and found["term"].quote.total == Decimal("480.00")
    assert found["band_top"].inputs.power_kw == Decimal("10") and found["band_top"].quote.total == Decimal("400.00")


def test_an_uncovered_alternative_carries_the_refusal(tenant, schedules):
    found = quotes.alternatives(tenant, inputs("8"), on=datetime.date(2020, 1, 1))

    phase = next(alternative for alternative in found if alternative.kind == "phase")
    assert phase.quote is None and "no price for this request" in phase.refusal


def test_at_the_top_of_its_band_there_is_no_band_alternative(tenant, schedules):
    found = quotes.alternatives(tenant, inputs("10"), on=datetime.date(2026, 1, 1))

    assert [alternative.kind for alternative in found] == ["phase", "term"]


@pytest.mark.parametrize("rules", [1, 40])
def test_quote_for_takes_two_queries_whatever_the_number_of_rules(tenant, rules, django_assert_num_queries):
    schedule = FeeScheduleFactory(tenant=tenant)
    for index in range(rules):
        FeeRuleFactory(schedule=schedule, from_kw=Decimal(index), to_kw=Decimal(index + 1))

    with django_assert_num_queries(2):
        quotes.quote_for(tenant, inputs("0.5"), on=datetime.date(2026, 1, 1))
    with django_assert_num_queries(2):
        quotes.alternatives(tenant, inputs("0.5"), on=datetime.date(2026, 1, 1))


def test_the_service_check_refuses_saved_overlapping_rules(tenant):
    schedule = FeeScheduleFactory(tenant=tenant)
    FeeRuleFactory(schedule=schedule, phase="single")
    FeeRuleFactory(schedule=schedule, phase="any", from_kw=Decimal("100"))

    with pytest.raises(OverlappingRules):
        quotes.check_schedule(schedule)


def test_a_rule_must_price_something_and_end_above_its_start(tenant):
    schedule = FeeScheduleFactory(tenant=tenant)
    rule = FeeRule(schedule=schedule, from_kw=Decimal("10"), to_kw=Decimal("10"), per_kw_amount=Decimal("0"))

    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    assert set(caught.value.message_dict) == {"to_kw", "fixed_amount"}


def test_seeding_twice_leaves_the_same_schedules(tenant, schedules):
    seed_fee_schedules(tenant)

    assert FeeSchedule.objects.for_tenant(tenant).count() == 2
    assert FeeRule.objects.filter(schedule__tenant=tenant).count() == 8
