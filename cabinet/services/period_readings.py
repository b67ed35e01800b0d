"""W5 (and W4 "meter readings"): a legal entity's readings for a reporting period.

"Save" keeps drafts at any time; "Submit" checks every row and, inside the submission window,
books each accepted row as a Reading at once (the archive shows it), while a refused row keeps its
reason. The same checks serve the page and the file upload.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cabinet.models import CabinetSettings, PeriodReading
from cabinet.windows import closed_message, submission_window
from meters.models import Meter, Reading
from meters.selectors import UNIT_BY_KIND, meter_summaries
from meters.services.corrections import correct_reading
from portal.l10n import number

THOUSANDTH = Decimal("0.001")


class SubmissionClosed(ValidationError):
    """A submission outside the window; the message gives the next window's dates."""


@dataclass
class MeterRow:
    """One meter of the readings page with what the subscriber needs to read it."""

    meter: Meter
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


def meter_rows(*, tenant, contract, period, today, meter_ids=None):
    """MeterRow per meter, in two queries whatever the number of meters."""
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
    meters = (
        base.select_related("service_point")
        .annotate(
            previous_value=Subquery(previous.values("value")[:1]),
            previous_date=Subquery(previous.values("reading_date")[:1]),
        )
        .order_by("service_point__address", "serial_number")
    )
    drafts = {row.meter_id: row for row in contract.period_readings.filter(period=period, meter__in=base)}
    rows = []
    for meter in meters:
        has_previous = meter.previous_value is not None
        rows.append(
            MeterRow(
                meter=meter,
                # SQLite hands subquery decimals back unscaled; show them with the meter's 3 places.
                previous_value=(meter.previous_value if has_previous else meter.initial_reading).quantize(THOUSANDTH),
                previous_date=meter.previous_date if has_previous else meter.installed_on,
                has_previous_reading=has_previous,
                period_reading=drafts.get(meter.pk),
                verification_overdue=meter.verification_expired(today),
            )
        )
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
    params = {
        "value": number(row.previous_value),
        "date": date_format(row.previous_date, "SHORT_DATE_FORMAT"),
    }
    if reading_date < row.previous_date:
        return str(_("The reading date cannot be before the previous reading (%(date)s).") % params)
    if value < row.previous_value:
        return str(_("The reading cannot be below the previous one: %(value)s on %(date)s.") % params)
    return ""


def flags_of(row):
    """The codes staff should see on the reading of ``row``'s meter: its verification had
    expired on the day it was entered (the cabinet warned the subscriber too)."""
    flags = []
    if row.verification_overdue:
        flags.append(PeriodReading.Flag.VERIFICATION_EXPIRED.value)
    return flags


def _check_meters(rows, entries):
    known = {row.meter.pk for row in rows}
    ids = [entry.meter_id for entry in entries]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Each meter may appear only once."), code="duplicate_meter")
    if not set(ids) <= known:
        raise ValidationError(_("A meter is not on this contract."), code="foreign_meter")


def save_period_drafts(*, tenant, contract, period, entries, user, today):
    """Keep ``entries`` as drafts (allowed at any time). An accepted row is never overwritten:
    it is booked, and readings are append-only. Returns the number of drafts saved."""
    with transaction.atomic():
        rows = meter_rows(
            tenant=tenant, contract=contract, period=period, today=today, meter_ids=[e.meter_id for e in entries]
        )
        _check_meters(rows, entries)
        by_meter = {row.meter.pk: row for row in rows}
        saved = 0
        for entry in entries:
            existing = by_meter[entry.meter_id].period_reading
            if existing is not None and existing.status == PeriodReading.Status.ACCEPTED:
                continue
            PeriodReading.objects.update_or_create(
                meter_id=entry.meter_id,
                period=period,
                defaults={
                    "tenant": tenant,
                    "contract": contract,
                    "value": entry.value,
                    "reading_date": entry.reading_date,
                    "status": PeriodReading.Status.DRAFT,
                    "refusal_reason": "",
                    "saved_by": user,
                    "flags": flags_of(by_meter[entry.meter_id]),
                },
            )
            saved += 1
    return saved


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


def submit_period_readings(*, tenant, contract, period, entries, user, today, calendar):
    """Check each entry and book the accepted ones as Readings; returns an Outcome per entry.

    Raises SubmissionClosed outside the window (nothing is written then). The meters are locked
    so that two colleagues submitting at once compare against the same previous readings.
    """
    window = submission_window(contract, period, calendar=calendar)
    if not window.contains(today):
        raise SubmissionClosed(closed_message(contract, period, today, calendar=calendar), code="window_closed")
    if not entries:
        raise ValidationError(_("Enter at least one reading."), code="no_entries")
    now = timezone.now()
    outcomes = []
    with transaction.atomic():
        ids = [entry.meter_id for entry in entries]
        locked = Meter.objects.select_for_update(of=("self",)).filter(pk__in=ids, service_point__contract=contract)
        list(locked.values_list("pk"))
        rows = meter_rows(tenant=tenant, contract=contract, period=period, today=today, meter_ids=ids)
        _check_meters(rows, entries)
        by_meter = {row.meter.pk: row for row in rows}
        for entry in entries:
            row = by_meter[entry.meter_id]
            change = change_of(row, value=entry.value, reading_date=entry.reading_date)
            if change == UNCHANGED:
                outcomes.append(Outcome(entry.meter_id, accepted=True, change=UNCHANGED))
                continue
            reason = refusal_reason(row, value=entry.value, reading_date=entry.reading_date, today=today)
            if change == CORRECTION:
                outcomes.append(_correct(row, entry, reason=reason, user=user, now=now))
                continue
            fields = {
                "tenant": tenant,
                "contract": contract,
                "value": entry.value.quantize(THOUSANDTH),
                "reading_date": entry.reading_date,
                "saved_by": user,
                "submitted_at": now,
                "refusal_reason": reason,
                "status": PeriodReading.Status.REFUSED if reason else PeriodReading.Status.ACCEPTED,
                "booked_reading": None,
                "flags": flags_of(row),
            }
            if not reason:
                fields["booked_reading"] = Reading.objects.create(
                    tenant=tenant,
                    meter=row.meter,
                    value=entry.value,
                    reading_date=entry.reading_date,
                    source=Reading.Source.LEGAL_ENTITY,
                    status=Reading.Status.ACCEPTED,
                    entered_by=user,
                )
            PeriodReading.objects.update_or_create(meter_id=entry.meter_id, period=period, defaults=fields)
            outcomes.append(Outcome(entry.meter_id, accepted=not reason, reason=reason))
    return outcomes


def _correct(row, entry, *, reason, user, now):
    """A changed figure for a period already accepted, inside the window: the booked Reading is
    superseded by a new one (readings are append-only; staff see both), or the change is refused
    and the accepted reading stays."""
    if reason:
        return Outcome(entry.meter_id, accepted=False, reason=reason, change=CORRECTION)
    existing = row.period_reading
    if existing.booked_reading is None:
        return Outcome(
            entry.meter_id,
            accepted=False,
            reason=str(_("The accepted reading cannot be corrected here; ask the utility.")),
            change=CORRECTION,
        )
    try:
        booked = correct_reading(
            reading=existing.booked_reading,
            actor=user,
            value=entry.value.quantize(THOUSANDTH),
            reading_date=entry.reading_date,
            source=Reading.Source.LEGAL_ENTITY,
        )
    except ValidationError as error:  # e.g. staff have corrected the booked reading meanwhile
        return Outcome(entry.meter_id, accepted=False, reason=" ".join(error.messages), change=CORRECTION)
    existing.value = booked.value
    existing.reading_date = booked.reading_date
    existing.booked_reading = booked
    existing.saved_by = user
    existing.submitted_at = now
    existing.flags = flags_of(row)
    existing.save(
        update_fields=["value", "reading_date", "booked_reading", "saved_by", "submitted_at", "flags", "updated_at"]
    )
    return Outcome(entry.meter_id, accepted=True, change=CORRECTION)
