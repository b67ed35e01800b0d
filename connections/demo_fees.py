"""Demo fee schedules for Azerishiq: the current 2023 regime and the 2018 household regime as history.

Figures and sources: ../shared/reference/domain-figures.md (minenergy.gov.az, regulator.gov.az).
Keyed on (tenant, effective date) and rewritten on every run, so seeding twice leaves the same rows.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from connections.fees import ANY, ApplicantKind, PerKwBasis, Phase, Voltage
from connections.models import FeeRule, FeeSchedule

# Not published anywhere we found: the regulator's household page says connection "within 12 or
# 24 days, depending on the payment" (Decision No. 327) but names no amount for the 12-day term.
# A placeholder staff must confirm or replace; every quote using it says "set by staff".
URGENT_PLACEHOLDER_MULTIPLIER = Decimal("1.500")
STAFF_NOTES = (
    "PLACEHOLDER — to be confirmed by staff: the urgent (shorter) term is priced at 1.5 × the standard fee; "
    "no decision publishes the urgent amount. The quote validity of 30 days is also set by staff."
)

URGENT = {"urgent_multiplier": URGENT_PLACEHOLDER_MULTIPLIER, "urgent_set_by_staff": True}

SCHEDULES = [
    {
        # Names as Azerishiq's staff would write them: citizens read them under the quote.
        "name": "Qoşulma haqları 2024 (NK-nın 399 saylı, Tarif Şurasının 4 saylı qərarları)",
        # Cabinet Decision No. 399 of 2023-11-03 set the connection rules; the amounts themselves are
        # Tariff Council Decision No. 4 of 2024-05-03, so they apply from that decision's date.
        "effective_from": datetime.date(2024, 5, 3),
        "source": (
            "Cabinet of Ministers Decision No. 399 of 2023-11-03; Tariff (Price) Council Decision No. 4 of "
            "2024-05-03 (minenergy.gov.az): single-phase 40 AZN/kW up to 10 kW, 60 AZN/kW above; three-phase "
            "low voltage 293 AZN/kW; medium voltage 170 AZN/kW; no distance surcharge; VAT included."
        ),
        "rules": [
            # Flat: the price per kW applies to the whole requested power, households and entrepreneurs alike.
            {"label": "Single-phase ≤ 10 kW", "phase": Phase.SINGLE, "to_kw": "10", "per_kw_amount": "40"},
            {
                "label": "Single-phase > 10 kW",
                "phase": Phase.SINGLE,
                "from_kw": "10",
                "to_kw": "150",
                "per_kw_amount": "60",
            },
            {"label": "Three-phase, 0.4 kV", "phase": Phase.THREE, "to_kw": "150", "per_kw_amount": "293"},
            {"label": "Medium voltage", "voltage": Voltage.MEDIUM, "to_kw": "150", "per_kw_amount": "170"},
        ],
    },
    {
        "name": "Məişət abonentlərinin qoşulma haqları 2018 (NK-nın 327 saylı qərarı)",
        "effective_from": datetime.date(2018, 7, 24),
        "source": (
            "Cabinet of Ministers Decision No. 327 of 2018-07-24 (households, single-phase up to 20 kW, 24 days): "
            "≤ 5 kW 160 AZN; 5–10 kW 160 + 40 AZN/kW above 5; 10–15 kW 360 + 60.6 AZN/kW above 10; "
            "15–20 kW 663 + 94.8 AZN/kW above 15; VAT included."
        ),
        "rules": [
            # Cumulative: each band's fixed part is the fee at its start, plus the kW above the start.
            {"label": "Household ≤ 5 kW", "to_kw": "5", "fixed_amount": "160"},
            {"label": "Household 5–10 kW", "from_kw": "5", "to_kw": "10", "fixed_amount": "160", "per_kw_amount": "40"},
            {
                "label": "Household 10–15 kW",
                "from_kw": "10",
                "to_kw": "15",
                "fixed_amount": "360",
                "per_kw_amount": "60.6",
            },
            {
                "label": "Household 15–20 kW",
                "from_kw": "15",
                "to_kw": "20",
                "fixed_amount": "663",
                "per_kw_amount": "94.8",
            },
        ],
        "rule_defaults": {
            "applicant_kind": ApplicantKind.HOUSEHOLD,
            "phase": Phase.SINGLE,
            "per_kw_basis": PerKwBasis.ABOVE_BAND_START,
        },
    },
]

DECIMAL_FIELDS = {"from_kw", "to_kw", "fixed_amount", "per_kw_amount"}


def build_rule(schedule, defaults, data):
    values = {"applicant_kind": ANY, "object_kind": ANY, "phase": ANY, "voltage": Voltage.LOW, "term": ANY}
    values |= URGENT | defaults | data
    values = {key: Decimal(value) if key in DECIMAL_FIELDS else value for key, value in values.items()}
    return FeeRule(schedule=schedule, **values)


@transaction.atomic
def seed_fee_schedules(tenant):
    """Write the demo schedules for ``tenant`` (Azerishiq); returns them, newest first."""
    schedules = []
    for data in SCHEDULES:
        schedule, _created = FeeSchedule.objects.update_or_create(
            tenant=tenant,
            effective_from=data["effective_from"],
            defaults={
                "name": data["name"],
                "source": data["source"],
                "prices_include_vat": True,
                "vat_rate": Decimal("18"),
                "quote_valid_days": 30,
                "staff_notes": STAFF_NOTES,
            },
        )
        schedule.rules.all().delete()
        rules = [build_rule(schedule, data.get("rule_defaults", {}), rule) for rule in data["rules"]]
        for rule in rules:
            rule.full_clean()
        FeeRule.objects.bulk_create(rules)
        schedule.check_rules()
        schedules.append(schedule)
    return schedules
