"""The pure quote (connections/fees.py) on the published regimes, without a database."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from connections.fees import (
    LineKind,
    NotCovered,
    ObjectKind,
    OverlappingRules,
    Phase,
    Quote,
    Term,
    Voltage,
    quote,
    validate_rules,
)
from connections.models import FeeRule, FeeSchedule
from tests.connections.factories_fees import CURRENT, HISTORY_2018, inputs, regime

TODAY = datetime.date(2026, 12, 2)


def price(effective_from, power, **changes):
    schedule, rules = regime(effective_from)
    return quote(rules, inputs(power, **changes), today=TODAY)


def refusal(effective_from, power, **changes):
    with pytest.raises(ValidationError) as caught:
        price(effective_from, power, **changes)
    return caught.value


# -- the 2023 regime ---------------------------------------------------------------------------


def test_single_phase_up_to_10_kw_costs_40_azn_per_kw_of_the_whole_power():
    fee = price(CURRENT, "10")

    assert fee.total == Decimal("400.00")
    assert [line.description for line in fee.lines] == ["Single-phase, up to 10 kW: 40 AZN × 10 kW"]


def test_single_phase_above_10_kw_costs_60_azn_per_kw_of_the_whole_power():
    assert price(CURRENT, "10.1").total == Decimal("606.00")
    assert price(CURRENT, "10.1").lines[0].description == "Single-phase, over 10 up to 150 kW: 60 AZN × 10.1 kW"


def test_three_phase_up_to_150_kw_and_entrepreneurs_are_covered():
    fee = price(CURRENT, "150", phase=Phase.THREE, applicant_kind="entrepreneur")

    assert fee.total == Decimal("43950.00")


def test_medium_voltage_costs_170_azn_per_kw():
    assert price(CURRENT, "50", phase=Phase.THREE, voltage=Voltage.MEDIUM).total == Decimal("8500.00")


def test_above_150_kw_is_refused_with_the_limit_named():
    error = refusal(CURRENT, "150.1")

    assert error.code == "power_above_limit"
    assert "150 kW" in error.messages[0]


def test_vat_is_the_part_included_in_the_published_fee():
    fee = price(CURRENT, "8")

    assert (fee.net, fee.vat, fee.total) == (Decimal("271.19"), Decimal("48.81"), Decimal("320.00"))


def test_a_schedule_stated_without_vat_adds_it():
    schedule, rules = regime(CURRENT)
    schedule.prices_include_vat = False

    fee = quote(rules, inputs("8"), today=TODAY)

    assert (fee.net, fee.vat, fee.total) == (Decimal("320.00"), Decimal("57.60"), Decimal("377.60"))


def test_the_quote_is_valid_for_the_schedules_days():
    fee = price(CURRENT, "8")

    assert (fee.computed_on, fee.valid_until) == (TODAY, datetime.date(2027, 1, 1))


# -- the 2018 regime ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("power", "total"),
    [("5", "160.00"), ("5.1", "164.00"), ("10", "360.00"), ("15", "663.00"), ("20", "1137.00"), ("12.5", "511.50")],
)
def test_2018_cumulative_bands(power, total):
    assert price(HISTORY_2018, power).total == Decimal(total)


def test_2018_band_lines_name_the_fixed_part_and_the_kw_above_the_start():
    fee = price(HISTORY_2018, "5.1")

    assert [(line.kind, line.amount) for line in fee.lines] == [
        (LineKind.FIXED, Decimal("160.00")),
        (LineKind.PER_KW_ABOVE, Decimal("4.00")),
    ]
    assert fee.lines[1].description == "Single-phase, over 5 up to 10 kW: 40 AZN × 0.1 kW above 5 kW"


def test_2018_regime_does_not_cover_above_20_kw_three_phase_or_entrepreneurs():
    assert isinstance(refusal(HISTORY_2018, "20.1"), NotCovered)
    assert isinstance(refusal(HISTORY_2018, "8", phase=Phase.THREE), NotCovered)
    error = refusal(HISTORY_2018, "8", applicant_kind="entrepreneur")
    assert isinstance(error, NotCovered)
    assert "Entrepreneur, House, Single-phase, 8 kW, Standard term" in error.messages[0]


# -- bad power ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("power", "code"), [("0", "power_not_positive"), ("-3", "power_not_positive"), ("8.05", "power_step")]
)
def test_bad_power_is_refused(power, code):
    assert refusal(CURRENT, power).code == code


def test_the_refusal_is_in_the_users_language():
    with translation.override("ru"):
        message = refusal(CURRENT, "8.05").messages[0]

    assert message != "Enter the power in steps of 0.1 kW (e.g. 8.5)."


# -- terms, distance, the apartment without a fee ----------------------------------------------


def test_the_urgent_term_uses_the_staff_set_multiplier_and_says_so():
    fee = price(CURRENT, "8", term=Term.URGENT)

    urgent = fee.lines[-1]
    assert (urgent.kind, urgent.amount, urgent.set_by_staff) == (LineKind.URGENT_MULTIPLIER, Decimal("160.00"), True)
    assert fee.total == Decimal("480.00")
    assert fee.has_amounts_set_by_staff


def test_a_rule_without_an_urgent_price_does_not_offer_the_urgent_term():
    schedule, rules = regime(CURRENT)
    for rule in rules:
        rule.urgent_multiplier = None

    with pytest.raises(NotCovered) as caught:
        quote(rules, inputs("8", term=Term.URGENT), today=TODAY)
    assert caught.value.code == "urgent_not_offered"


def pre_2018_rules():
    schedule = FeeSchedule(
        name="Before 2018", effective_from=datetime.date(2010, 1, 1), vat_rate=18, quote_valid_days=30
    )
    rule = FeeRule(
        schedule=schedule,
        to_kw=Decimal("150"),
        fixed_amount=Decimal("100"),
        distance_rate=Decimal("2"),
        distance_free_m=50,
    )
    return [rule]


def test_the_pre_2018_distance_component_charges_the_metres_beyond_the_threshold():
    fee = quote(pre_2018_rules(), inputs("8", distance_m=120), today=TODAY)

    assert fee.total == Decimal("240.00")
    assert fee.lines[-1].description == "Distance to the grid beyond 50 m: 2 AZN × 70 m"


def test_a_frozen_distance_quote_round_trips():
    fee = quote(pre_2018_rules(), inputs("8", distance_m=Decimal("120.5")), today=TODAY)

    assert Quote.from_frozen(json.loads(json.dumps(fee.as_frozen()))) == fee
    assert fee.total == Decimal("241.00")


def test_a_distance_fee_without_the_distance_is_refused():
    with pytest.raises(NotCovered) as caught:
        quote(pre_2018_rules(), inputs("8"), today=TODAY)
    assert caught.value.code == "distance_required"


def test_an_apartment_in_a_building_with_general_conditions_pays_nothing():
    fee = price(CURRENT, "8", object_kind=ObjectKind.APARTMENT, building_has_general_conditions=True)

    assert fee.total == Decimal("0.00")
    assert [line.kind for line in fee.lines] == [LineKind.NO_FEE]
    assert "general technical conditions" in fee.lines[0].description


# -- overlapping rules -------------------------------------------------------------------------


def rule(**values):
    defaults = {"to_kw": Decimal("10"), "per_kw_amount": Decimal("40")}
    return FeeRule(**(defaults | values))


def test_rules_for_any_phase_overlap_a_single_phase_rule_in_the_same_band():
    with pytest.raises(OverlappingRules) as caught:
        validate_rules([rule(phase="single", label="A"), rule(phase="any", from_kw=Decimal("5"), label="B")])
    assert "“A” and “B” overlap" in caught.value.messages[0]


def test_touching_bands_other_voltages_and_other_terms_do_not_overlap():
    validate_rules(
        [
            rule(phase="single"),
            rule(phase="single", from_kw=Decimal("10"), to_kw=Decimal("150")),
            rule(phase="single", voltage="medium"),
        ]
    )
    validate_rules([rule(term="standard"), rule(term="urgent")])


def test_the_quote_refuses_a_schedule_whose_rules_overlap():
    schedule, rules = regime(CURRENT)
    rules.append(rule(schedule=schedule, label="Duplicate"))

    with pytest.raises(OverlappingRules):
        quote(rules, inputs("8"), today=TODAY)


# -- frozen ------------------------------------------------------------------------------------


def test_a_frozen_quote_survives_json_unchanged():
    fee = price(CURRENT, "12.5", term=Term.URGENT)

    stored = json.loads(json.dumps(fee.as_frozen()))

    assert Quote.from_frozen(stored) == fee
    assert stored["total"] == "1125.00" and stored["schedule"]["effective_from"] == "2024-05-03"


def test_line_numbers_follow_the_readers_locale():
    fee = price(CURRENT, "12.5")

    with translation.override("ru"):
        text = fee.lines[0].description

    assert "12,5" in text
