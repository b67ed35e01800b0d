"""Factories for fee schedules and rules, and the demo regimes as unsaved rows for the pure tests."""

import datetime
from decimal import Decimal

import factory

from connections import demo_fees
from connections.fees import ANY, ApplicantKind, ObjectKind, Phase, QuoteInputs, Term, Voltage
from connections.models import FeeRule, FeeSchedule
from tests.portal.factories import TenantFactory

CURRENT = datetime.date(2024, 5, 3)
HISTORY_2018 = datetime.date(2018, 7, 24)


class FeeScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeSchedule

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Fee schedule {n}")
    effective_from = CURRENT
    prices_include_vat = True
    vat_rate = Decimal("18")
    quote_valid_days = 30


class FeeRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeRule

    schedule = factory.SubFactory(FeeScheduleFactory)
    applicant_kind = ANY
    object_kind = ANY
    phase = ANY
    voltage = Voltage.LOW
    term = ANY
    from_kw = Decimal("0")
    to_kw = Decimal("150")
    per_kw_amount = Decimal("40")


def regime(effective_from):
    """(schedule, rules) of the demo regime effective on that day, unsaved: no database needed."""
    data = next(item for item in demo_fees.SCHEDULES if item["effective_from"] == effective_from)
    schedule = FeeSchedule(
        name=data["name"],
        effective_from=effective_from,
        source=data["source"],
        vat_rate=Decimal("18"),
        quote_valid_days=30,
    )
    rules = [demo_fees.build_rule(schedule, data.get("rule_defaults", {}), rule) for rule in data["rules"]]
    return schedule, rules


def inputs(power, **changes):
    values = {
        "applicant_kind": ApplicantKind.HOUSEHOLD,
        "object_kind": ObjectKind.HOUSE,
        "phase": Phase.SINGLE,
        "voltage": Voltage.LOW,
        "power_kw": Decimal(power),
        "term": Term.STANDARD,
    }
    return QuoteInputs(**(values | changes))
