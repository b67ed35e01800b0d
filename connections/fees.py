"""The grid-connection fee: codes, the overlap check of a schedule and the quote, as pure functions.

Nothing here touches the database: ``quote(rules, inputs, today=...)`` reads the rules it is given
(model rows or any objects with the same attributes), so the form, the alternatives and the tests
compute with the same code. ``connections/quotes.py`` loads the schedule in force and calls it.

Three regimes must be expressible (../shared/reference/domain-figures.md): the 2023 flat price per
kW of the whole power (Cabinet Decision No. 399), the 2018 cumulative bands ("5–10 kW: 160 AZN +
40 AZN per kW above 5", Cabinet Decision No. 327) and, before 2018, a price per metre of distance.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.l10n import number

# The service: an individual house or apartment of up to 150 kW inclusive from the 0.4 kV network
# (Presidential Decree No. 1313 of 2017-04-04 for entrepreneurs; Azerishiq's service page).
MAX_POWER_KW = Decimal("150")
POWER_STEP_KW = Decimal("0.1")
CENT = Decimal("0.01")
ZERO = Decimal("0")

ANY = "any"
ANY_CHOICE = (ANY, _("any"))


class ApplicantKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household consumer")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")


class ObjectKind(models.TextChoices):
    HOUSE = "house", _("House")
    APARTMENT = "apartment", _("Apartment")


class Phase(models.TextChoices):
    SINGLE = "single", _("Single-phase")
    THREE = "three", _("Three-phase")


class Voltage(models.TextChoices):
    LOW = "low", _("Low voltage (0.4 kV)")
    MEDIUM = "medium", _("Medium voltage (6–10 kV)")


class Term(models.TextChoices):
    STANDARD = "standard", _("Standard term")
    URGENT = "urgent", _("Urgent term")


class PerKwBasis(models.TextChoices):
    # 2023: "40 AZN/kW" of the whole requested power. 2018: "160 + 40/kW above 5".
    WHOLE_POWER = "whole", _("per kW of the whole power")
    ABOVE_BAND_START = "above_start", _("per kW above the band start")


# The dimensions a rule is matched on; "any" on a rule matches every value.
CELL_DIMENSIONS = ("applicant_kind", "object_kind", "phase", "term")


class NotCovered(ValidationError):
    """No rule of the schedule prices these inputs: refused, never a silent zero."""


class OverlappingRules(ValidationError):
    """Two rules of one schedule would both price the same inputs."""


# -- inputs --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class QuoteInputs:
    applicant_kind: str
    object_kind: str
    phase: str
    voltage: str
    power_kw: Decimal
    term: str = Term.STANDARD
    distance_m: Decimal | int | None = None
    # minenergy.gov.az: an apartment in a building that already has general technical conditions
    # needs no separate conditions, project or connection fee.
    building_has_general_conditions: bool = False

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def as_frozen(self):
        return {
            "applicant_kind": str(self.applicant_kind),
            "object_kind": str(self.object_kind),
            "phase": str(self.phase),
            "voltage": str(self.voltage),
            "power_kw": str(self.power_kw),
            "term": str(self.term),
            "distance_m": None if self.distance_m is None else str(self.distance_m),
            "building_has_general_conditions": self.building_has_general_conditions,
        }

    @classmethod
    def from_frozen(cls, data):
        distance = data.get("distance_m")
        return cls(
            **{
                **data,
                "power_kw": Decimal(data["power_kw"]),
                "distance_m": None if distance is None else Decimal(distance),
            }
        )

    @property
    def phase_label(self):
        return scope_text(self.phase, self.voltage)

    @property
    def term_label(self):
        return Term(self.term).label

    @property
    def no_fee(self):
        return self.object_kind == ObjectKind.APARTMENT and self.building_has_general_conditions


def validate_inputs(inputs):
    """Refuse what the form must never price: unknown codes, a power that is not a positive
    multiple of 0.1 kW up to 150 kW, a negative distance. Returns the power as a Decimal."""
    for field, choices in (
        ("applicant_kind", ApplicantKind),
        ("object_kind", ObjectKind),
        ("phase", Phase),
        ("voltage", Voltage),
        ("term", Term),
    ):
        if getattr(inputs, field) not in choices.values:
            raise ValidationError(gettext("Choose a value from the list."), code=f"invalid_{field}")
    try:
        power = Decimal(str(inputs.power_kw))
    except (InvalidOperation, ValueError, TypeError):
        power = None
    if power is None or not power.is_finite():
        raise ValidationError(gettext("Enter the requested power as a number of kW."), code="power_invalid")
    if power <= 0:
        raise ValidationError(gettext("Enter a power above 0 kW."), code="power_not_positive")
    if power > MAX_POWER_KW:
        raise ValidationError(
            gettext("The service connects up to %(limit)s kW; enter %(limit)s kW or less.")
            % {"limit": number(MAX_POWER_KW)},
            code="power_above_limit",
        )
    if power % POWER_STEP_KW:
        raise ValidationError(gettext("Enter the power in steps of 0.1 kW (e.g. 8.5)."), code="power_step")
    if inputs.distance_m is not None and (isinstance(inputs.distance_m, bool) or inputs.distance_m < 0):
        raise ValidationError(gettext("The distance cannot be negative."), code="distance_negative")
    return power


# -- the overlap check ---------------------------------------------------------------------------


def _cells_overlap(first, second):
    if first.voltage != second.voltage:
        return False
    for dimension in CELL_DIMENSIONS:
        a, b = getattr(first, dimension), getattr(second, dimension)
        if a != b and ANY not in (a, b):
            return False
    # Bands are (from, to]: (0, 10] and (10, 150] touch but do not intersect.
    return max(first.from_kw, second.from_kw) < min(first.to_kw, second.to_kw)


def describe_rule(rule):
    """A rule as staff recognise it in an error message: its label, or its cell and band."""
    if getattr(rule, "label", ""):
        return rule.label
    return f"{scope_text(rule.phase, rule.voltage)}, {band_text(rule.from_kw, rule.to_kw)}"


def validate_rules(rules):
    """Refuse a schedule in which two rules would price the same inputs ("any" overlaps every value)."""
    rules = list(rules)
    messages = []
    for index, first in enumerate(rules):
        for second in rules[index + 1 :]:
            if _cells_overlap(first, second):
                messages.append(
                    gettext("Rules “%(first)s” and “%(second)s” overlap: both would price the same request.")
                    % {"first": describe_rule(first), "second": describe_rule(second)}
                )
    if messages:
        raise OverlappingRules(messages, code="overlapping_rules")


def matching_rule(rules, inputs, power):
    matches = [
        rule
        for rule in rules
        if rule.voltage == inputs.voltage
        and all(getattr(rule, d) in (ANY, getattr(inputs, d)) for d in CELL_DIMENSIONS)
        and rule.from_kw < power <= rule.to_kw
    ]
    if not matches:
        raise NotCovered(
            gettext(
                "The fee schedule has no price for this request (%(request)s). "
                "Check the phase, the voltage and the power, or ask the utility."
            )
            % {"request": inputs_text(inputs, power)},
            code="not_covered",
        )
    if len(matches) > 1:
        validate_rules(matches)  # raises, naming the rules
    return matches[0]


# -- the quote -----------------------------------------------------------------------------------


class LineKind(models.TextChoices):
    FIXED = "fixed", _("fixed part of the band")
    PER_KW = "per_kw", _("per kW of the whole power")
    PER_KW_ABOVE = "per_kw_above", _("per kW above the band start")
    DISTANCE = "distance", _("per metre beyond the free distance")
    URGENT_SURCHARGE = "urgent_surcharge", _("urgent term surcharge")
    URGENT_MULTIPLIER = "urgent_multiplier", _("urgent term multiplier")
    NO_FEE = "no_fee", _("no fee")


@dataclasses.dataclass(frozen=True)
class QuoteLine:
    """One named part of the fee. Codes and numbers only: the text is built in the reader's
    language when shown (``description``), so a quote stored today reads right in any language."""

    kind: str
    amount: Decimal
    rule_id: int | None = None
    phase: str = ""
    voltage: str = ""
    from_kw: Decimal | None = None
    to_kw: Decimal | None = None
    unit_price: Decimal | None = None
    quantity: Decimal | None = None
    free_m: Decimal | None = None
    set_by_staff: bool = False
    currency: str = "AZN"

    @property
    def description(self):
        values = {
            "currency": self.currency,
            "scope": scope_text(self.phase, self.voltage) if self.voltage else "",
            "band": band_text(self.from_kw, self.to_kw) if self.to_kw is not None else "",
            "rate": number(self.unit_price) if self.unit_price is not None else "",
            "quantity": number(self.quantity) if self.quantity is not None else "",
            "start": number(self.from_kw) if self.from_kw is not None else "",
            "free": number(self.free_m) if self.free_m is not None else "",
        }
        if self.kind == LineKind.FIXED:
            return gettext("%(scope)s, %(band)s: fixed part") % values
        if self.kind == LineKind.PER_KW:
            return gettext("%(scope)s, %(band)s: %(rate)s %(currency)s × %(quantity)s kW") % values
        if self.kind == LineKind.PER_KW_ABOVE:
            return gettext("%(scope)s, %(band)s: %(rate)s %(currency)s × %(quantity)s kW above %(start)s kW") % values
        if self.kind == LineKind.DISTANCE:
            return gettext("Distance to the grid beyond %(free)s m: %(rate)s %(currency)s × %(quantity)s m") % values
        if self.kind == LineKind.URGENT_SURCHARGE:
            return gettext("Urgent term surcharge")
        if self.kind == LineKind.URGENT_MULTIPLIER:
            return gettext("Urgent term: the fee × %(rate)s") % values
        return gettext(
            "Apartment in a building that already has general technical conditions: no connection fee "
            "(Ministry of Energy rules)"
        )

    def as_frozen(self):
        return {
            "kind": str(self.kind),
            "amount": str(self.amount),
            "rule_id": self.rule_id,
            "phase": str(self.phase),
            "voltage": str(self.voltage),
            "from_kw": _str_or_none(self.from_kw),
            "to_kw": _str_or_none(self.to_kw),
            "unit_price": _str_or_none(self.unit_price),
            "quantity": _str_or_none(self.quantity),
            "free_m": _str_or_none(self.free_m),
            "set_by_staff": self.set_by_staff,
            "currency": self.currency,
        }

    @classmethod
    def from_frozen(cls, data):
        decimals = {
            key: None if data[key] is None else Decimal(data[key])
            for key in ("amount", "from_kw", "to_kw", "unit_price", "quantity", "free_m")
        }
        return cls(**{**data, **decimals})


@dataclasses.dataclass(frozen=True)
class Quote:
    inputs: QuoteInputs
    schedule_id: int | None
    schedule_name: str
    schedule_effective_from: datetime.date
    source: str
    lines: tuple
    prices_include_vat: bool
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal
    computed_on: datetime.date
    valid_until: datetime.date
    currency: str = "AZN"

    FORMAT = 1

    @property
    def has_amounts_set_by_staff(self):
        return any(line.set_by_staff for line in self.lines)

    @property
    def is_free(self):
        return self.total == 0

    def as_frozen(self):
        """A JSON-serialisable copy to keep on the application: it is shown later as it was sent,
        whatever happens to the schedule (Decimals and dates as strings)."""
        return {
            "format": self.FORMAT,
            "inputs": self.inputs.as_frozen(),
            "schedule": {
                "id": self.schedule_id,
                "name": self.schedule_name,
                "effective_from": self.schedule_effective_from.isoformat(),
                "source": self.source,
            },
            "lines": [line.as_frozen() for line in self.lines],
            "prices_include_vat": self.prices_include_vat,
            "vat_rate": str(self.vat_rate),
            "net": str(self.net),
            "vat": str(self.vat),
            "total": str(self.total),
            "currency": self.currency,
            "computed_on": self.computed_on.isoformat(),
            "valid_until": self.valid_until.isoformat(),
        }

    @classmethod
    def from_frozen(cls, data):
        schedule = data["schedule"]
        return cls(
            inputs=QuoteInputs.from_frozen(data["inputs"]),
            schedule_id=schedule["id"],
            schedule_name=schedule["name"],
            schedule_effective_from=datetime.date.fromisoformat(schedule["effective_from"]),
            source=schedule["source"],
            lines=tuple(QuoteLine.from_frozen(line) for line in data["lines"]),
            prices_include_vat=data["prices_include_vat"],
            vat_rate=Decimal(data["vat_rate"]),
            net=Decimal(data["net"]),
            vat=Decimal(data["vat"]),
            total=Decimal(data["total"]),
            currency=data["currency"],
            computed_on=datetime.date.fromisoformat(data["computed_on"]),
            valid_until=datetime.date.fromisoformat(data["valid_until"]),
        )


def quote(rules, inputs, *, today, schedule=None, currency="AZN"):
    """The fee for ``inputs`` under ``rules`` (all of one schedule: ``schedule``, or the first
    rule's). Raises ValidationError for bad inputs, NotCovered when no rule prices them and
    OverlappingRules when two do."""
    rules = list(rules)
    if schedule is None:
        if not rules:
            raise NotCovered(gettext("No fee schedule is in force for this date."), code="no_schedule")
        schedule = rules[0].schedule
    power = validate_inputs(inputs)
    if inputs.no_fee:
        lines = (QuoteLine(kind=LineKind.NO_FEE, amount=ZERO.quantize(CENT)),)
    else:
        lines = tuple(_priced_lines(matching_rule(rules, inputs, power), inputs, power))
    lines = tuple(dataclasses.replace(line, currency=currency) for line in lines)
    priced = sum((line.amount for line in lines), ZERO.quantize(CENT))
    rate = Decimal(schedule.vat_rate) / 100
    # Connection fees are published VAT-inclusive (18 %): the VAT is then the part included.
    if schedule.prices_include_vat:
        net = _cents(priced / (1 + rate))
        vat, total = priced - net, priced
    else:
        net, vat = priced, _cents(priced * rate)
        total = net + vat
    return Quote(
        inputs=inputs.replace(power_kw=power),
        schedule_id=schedule.pk,
        schedule_name=schedule.name,
        schedule_effective_from=schedule.effective_from,
        source=schedule.source,
        lines=lines,
        prices_include_vat=schedule.prices_include_vat,
        vat_rate=Decimal(schedule.vat_rate),
        net=net,
        vat=vat,
        total=total,
        currency=currency,
        computed_on=today,
        valid_until=today + datetime.timedelta(days=schedule.quote_valid_days),
    )


def _priced_lines(rule, inputs, power):
    cell = {
        "rule_id": rule.pk,
        "phase": rule.phase,
        "voltage": rule.voltage,
        "from_kw": rule.from_kw,
        "to_kw": rule.to_kw,
    }
    lines = []
    if rule.fixed_amount:
        lines.append(QuoteLine(kind=LineKind.FIXED, amount=_cents(rule.fixed_amount), **cell))
    if rule.per_kw_amount:
        cumulative = rule.per_kw_basis == PerKwBasis.ABOVE_BAND_START
        quantity = power - rule.from_kw if cumulative else power
        lines.append(
            QuoteLine(
                kind=LineKind.PER_KW_ABOVE if cumulative else LineKind.PER_KW,
                amount=_cents(rule.per_kw_amount * quantity),
                unit_price=rule.per_kw_amount,
                quantity=quantity,
                **cell,
            )
        )
    if rule.distance_rate:
        if inputs.distance_m is None:
            raise NotCovered(
                gettext("This fee depends on the distance to the grid, which is not known yet."),
                code="distance_required",
            )
        beyond = max(Decimal(inputs.distance_m) - rule.distance_free_m, ZERO)
        if beyond:
            lines.append(
                QuoteLine(
                    kind=LineKind.DISTANCE,
                    amount=_cents(rule.distance_rate * beyond),
                    rule_id=rule.pk,
                    free_m=Decimal(rule.distance_free_m),
                    unit_price=rule.distance_rate,
                    quantity=beyond,
                )
            )
    if inputs.term == Term.URGENT and rule.term == ANY:
        lines.append(_urgent_line(rule, sum((line.amount for line in lines), ZERO)))
    return lines


def _urgent_line(rule, base):
    """A rule for any term prices the urgent one with its surcharge or multiplier (the amount is not
    published: staff set it). A rule without either does not offer the urgent term."""
    staff = bool(rule.urgent_set_by_staff)
    if rule.urgent_multiplier:
        return QuoteLine(
            kind=LineKind.URGENT_MULTIPLIER,
            amount=_cents(base * (rule.urgent_multiplier - 1)),
            rule_id=rule.pk,
            unit_price=rule.urgent_multiplier,
            set_by_staff=staff,
        )
    if rule.urgent_surcharge:
        return QuoteLine(
            kind=LineKind.URGENT_SURCHARGE, amount=_cents(rule.urgent_surcharge), rule_id=rule.pk, set_by_staff=staff
        )
    raise NotCovered(gettext("The urgent term is not offered for this request."), code="urgent_not_offered")


# -- texts ---------------------------------------------------------------------------------------


def scope_text(phase, voltage):
    if voltage == Voltage.MEDIUM:
        return gettext("Medium voltage")
    if phase == Phase.SINGLE:
        return gettext("Single-phase")
    if phase == Phase.THREE:
        return gettext("Three-phase")
    return gettext("Low voltage")


def band_text(from_kw, to_kw):
    if not from_kw:
        return gettext("up to %(to)s kW") % {"to": number(to_kw)}
    return gettext("over %(from)s up to %(to)s kW") % {"from": number(from_kw), "to": number(to_kw)}


def inputs_text(inputs, power):
    return ", ".join(
        [
            str(ApplicantKind(inputs.applicant_kind).label),
            str(ObjectKind(inputs.object_kind).label),
            scope_text(inputs.phase, inputs.voltage),
            gettext("%(power)s kW") % {"power": number(power)},
            str(Term(inputs.term).label),
        ]
    )


def _cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _str_or_none(value):
    return None if value is None else str(value)
