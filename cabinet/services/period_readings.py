"""W5 (and W4 "meter readings"): a legal entity's readings for a reporting period.

"Save" keeps drafts at any time; "Submit" checks every row and, inside the submission window,
books each accepted row as a Reading at once (the archive shows it), while a refused row keeps its
reason. The same checks serve the page and the file upload. This module holds the page's rows and
the rules; cabinet.services.saving_readings writes them.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cabinet.models import CabinetSettings, PeriodReading
from meters.models import Meter, Reading
from meters.selectors import UNIT_BY_KIND, meter_summaries
from portal.l10n import number

THOUSANDTH = Decimal("0.001")
# Meters per round of queries when a file's rows are checked, saved or submitted: a round costs
# the same few queries whatever its number of rows. Large enough to spread a round's fixed cost
# over many rows, small enough that PostgreSQL plans each query as the small one it is (over
# 10,000 meters at once the planner's estimate passes jit_above_cost and compiling takes ~2 s).
CHUNK_SIZE = 1000


class SubmissionClosed(ValidationError):
    """A submission outside the window; the message gives the next window's dates."""


@dataclass
class MeterRow:
    """One meter of the readings page with what the subscriber needs to read it."""

    meter: Meter  # or a MeterBrief (meter_rows(brief=True))
    previous_value: Decimal
    previous_date: datetime.date
    has_previous_reading: bool
    period_reading: PeriodReading | None
    verification_overdue: bool

    @property
    def unit(self):
        return UNIT_BY_KIND.get(self.meter.kind, "")

    @property
    def is_water(self):
        return self.meter.kind in (Meter.Kind.COLD_WATER, Meter.Kind.HOT_WATER)


@dataclass
class Entry:
    """A row as entered (page or file): the meter and its reading for the period."""

    meter_id: int
    value: Decimal
    reading_date: datetime.date


NEW, UNCHANGED, CORRECTION = "new", "unchanged", "correction"


@dataclass
class Outcome:
    meter_id: int
    accepted: bool
    reason: str = ""
    change: str = NEW  # NEW, UNCHANGED (already accepted with this figure) or CORRECTION


def change_of(row, *, value, reading_date):
    """What submitting ``value`` does to ``row``'s period: a NEW reading, nothing (UNCHANGED: the
    accepted one has this figure and date) or a CORRECTION of the accepted one."""
    existing = row.period_reading
    if existing is None or existing.status != PeriodReading.Status.ACCEPTED:
        return NEW
    if existing.value == value and existing.reading_date == reading_date:
        return UNCHANGED
    return CORRECTION


def contract_meters(tenant, contract):
    """The meters in service at the contract's connection points, of the kinds the tenant's cabinet
    takes readings of (CabinetSettings: Izhvodokanal takes cold water only, as hot water goes in as
    volumes; Uzbekenergo every meter)."""
    meters = Meter.objects.filter(service_point__contract=contract, status=Meter.Status.ACTIVE)
    return CabinetSettings.of(tenant).readings_meters(meters)


@dataclass(frozen=True)
class MeterBrief:
    """What a file's rows need of a meter (the rules, the booking): read with ``values()``, as
    model instances with their connection point cost more than every rule of a row together."""

    pk: int
    serial_number: str
    kind: str


def meter_rows(*, tenant, contract, period, today, meter_ids=None, brief=False):
    """MeterRow per meter, in two queries whatever the number of meters. ``brief``: the meter
    of each row is a MeterBrief and the rows come in no particular order (files of thousands of
    rows, issue #12 goal 4); otherwise Meter instances with their connection point, in page order."""
    # The previous reading is the last accepted one not booked for this or a later period, so a
    # page for an earlier period does not compare against readings sent after it.
    previous = (
        Reading.objects.filter(meter=OuterRef("pk"), status=Reading.Status.ACCEPTED)
        .exclude(period_reading__period__gte=period)
        .order_by("-reading_date", "-pk")
    )
    base = contract_meters(tenant, contract)
    if meter_ids is not None:
        base = base.filter(pk__in=meter_ids)
    meters = base.annotate(
        previous_value=Subquery(previous.values("value")[:1]),
        previous_date=Subquery(previous.values("reading_date")[:1]),
    )
    if brief:
        meters = [
            _BriefRecord(MeterBrief(pk, serial, kind), *rest)
            for pk, serial, kind, *rest in meters.values_list(
                "pk",
                "serial_number",
                "kind",
                "previous_value",
                "previous_date",
                "initial_reading",
                "installed_on",
                "verification_due_on",
            )
        ]
    else:
        meters = meters.select_related("service_point").order_by("service_point__address", "serial_number")
    # The period rows by the contract's (contract, period) index; a row of a meter not listed is
    # never looked up. (A join on the meters list instead made PostgreSQL scan the meters per row.)
    period_readings = contract.period_readings.filter(period=period)
    if meter_ids is not None:
        period_readings = period_readings.filter(meter_id__in=meter_ids)
    drafts = {row.meter_id: row for row in period_readings}
    rows = []
    for meter in meters:
        has_previous = meter.previous_value is not None
        rows.append(
            MeterRow(
                meter=meter.meter if brief else meter,
                # SQLite hands subquery decimals back unscaled; show them with the meter's 3 places.
                previous_value=(meter.previous_value if has_previous else meter.initial_reading).quantize(THOUSANDTH),
                previous_date=meter.previous_date if has_previous else meter.installed_on,
                has_previous_reading=has_previous,
                period_reading=drafts.get(meter.pk),
                verification_overdue=meter.verification_due_on is not None and meter.verification_due_on < today,
            )
        )
    return rows


@dataclass
class _BriefRecord:
    meter: MeterBrief
    previous_value: Decimal | None
    previous_date: datetime.date | None
    initial_reading: Decimal
    installed_on: datetime.date
    verification_due_on: datetime.date | None

    @property
    def pk(self):
        return self.meter.pk


def meter_rows_in_chunks(*, tenant, contract, period, today):
    """``meter_rows`` of every meter of the contract, CHUNK_SIZE meters a round (one query for
    their ids, then two a round), for a file of thousands of rows; in no particular order."""
    ids = list(contract_meters(tenant, contract).order_by("pk").values_list("pk", flat=True))
    rows = []
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        rows += meter_rows(tenant=tenant, contract=contract, period=period, today=today, meter_ids=chunk, brief=True)
    return rows


def refusal_reason(row, *, value, reading_date, today):
    """Why ``value`` on ``reading_date`` cannot be accepted for ``row``'s meter, or "" if it can."""
    if value != value.to_integral_value():
        if row.is_water:
            return str(
                _(
                    "Only whole cubic metres are accepted: report the black digits of the meter and leave out "
                    "the red ones (litres)."
                )
            )
        return str(_("Only whole units are accepted: leave out the digits after the decimal point."))
    if value < 0:
        return str(_("A reading cannot be negative."))
    if reading_date > today:
        return str(_("The reading date cannot be in the future."))
    if reading_date < row.previous_date:
        return str(_("The reading date cannot be before the previous reading (%(date)s).") % _previous(row))
    if value < row.previous_value:
        return str(_("The reading cannot be below the previous one: %(value)s on %(date)s.") % _previous(row))
    return ""


def _previous(row):
    # Formatted only for a refusal: date_format costs more than every check of a valid row together.
    return {"value": number(row.previous_value), "date": date_format(row.previous_date, "SHORT_DATE_FORMAT")}


def flags_of(row):
    """The codes staff should see on the reading of ``row``'s meter: its verification had
    expired on the day it was entered (the cabinet warned the subscriber too)."""
    flags = []
    if row.verification_overdue:
        flags.append(PeriodReading.Flag.VERIFICATION_EXPIRED.value)
    return flags


def draft_warnings(*, tenant, entries, today):
    """What to tell the subscriber about drafts he has just saved: a draft is kept whatever it
    holds, but a future date will be refused on "Submit" and a value far above the meter's usual
    consumption (meters.selectors' plausible range) is most often a typo — better caught now."""
    meters = Meter.objects.for_tenant(tenant).filter(pk__in=[entry.meter_id for entry in entries])
    summaries = {summary.meter.pk: summary for summary in meter_summaries(meters, today)}
    warnings = []
    for entry in entries:
        summary = summaries.get(entry.meter_id)
        if summary is None:
            continue
        params = {
            "serial": summary.meter.serial_number,
            "date": date_format(entry.reading_date, "SHORT_DATE_FORMAT"),
            "unit": summary.unit,
        }
        if entry.reading_date > today:
            future = _("Meter %(serial)s: the reading date %(date)s is in the future; Submit will refuse it.")
            warnings.append(str(future) % params)
            continue
        _low, high = summary.plausible_range(entry.reading_date)
        if entry.value > high:
            params.update(value=f"{entry.value.normalize():f}", high=f"{high.normalize():f}")
            warnings.append(
                str(
                    _(
                        "Meter %(serial)s: %(value)s %(unit)s is far above its usual consumption (up to "
                        "%(high)s %(unit)s expected). Check the reading before submitting."
                    )
                )
                % params
            )
    return warnings
