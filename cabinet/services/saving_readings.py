"""Saving and submitting a period's readings (W5, W4 "meter readings"), set-based.

The rows go in rounds of CHUNK_SIZE meters, each round in the same few queries whatever its number
of rows, all in one transaction: a file of 10,000 rows is saved in a few seconds (issue #12), and
the page's Save and Submit cost the same for 1 meter as for 100. The rules are those of
cabinet.services.period_readings, applied row by row in Python.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cabinet.models import PeriodReading
from cabinet.services.period_readings import (
    CHUNK_SIZE,
    CORRECTION,
    NEW,
    THOUSANDTH,
    UNCHANGED,
    Outcome,
    SubmissionClosed,
    change_of,
    flags_of,
    meter_rows,
    refusal_reason,
)
from cabinet.windows import closed_message, submission_window
from meters.models import Meter, Reading
from meters.services.corrections import Correction, correct_readings


def _check_unique(entries):
    ids = [entry.meter_id for entry in entries]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Each meter may appear only once."), code="duplicate_meter")


def _check_meters(rows, entries):
    known = {row.meter.pk for row in rows}
    if not {entry.meter_id for entry in entries} <= known:
        raise ValidationError(_("A meter is not on this contract."), code="foreign_meter")


def _chunks(entries):
    """``entries`` in rounds of CHUNK_SIZE meters, in meter id order: each round costs the same few
    queries whatever its number of rows, and two submissions over the same meters lock them in
    the same order (no deadlock)."""
    ordered = sorted(entries, key=lambda entry: entry.meter_id)
    for start in range(0, len(ordered), CHUNK_SIZE):
        yield ordered[start : start + CHUNK_SIZE]


def _locked_rows(*, tenant, contract, period, today, entries):
    """The MeterRows of ``entries``' meters, read after locking the meters, so that two colleagues
    saving or submitting at once compare against the same previous readings and period rows."""
    ids = [entry.meter_id for entry in entries]
    locked = Meter.objects.select_for_update(of=("self",)).filter(pk__in=ids, service_point__contract=contract)
    list(locked.order_by("pk").values_list("pk"))
    rows = meter_rows(tenant=tenant, contract=contract, period=period, today=today, meter_ids=ids, brief=True)
    _check_meters(rows, entries)
    return {row.meter.pk: row for row in rows}


# What each kind of write sets on a period row that already exists (as update_or_create's
# defaults and the correction's save(update_fields=...) did).
DRAFT_FIELDS = ["tenant", "contract", "value", "reading_date", "status", "refusal_reason", "saved_by", "flags"]
SUBMIT_FIELDS = [*DRAFT_FIELDS, "submitted_at", "booked_reading"]
CORRECTION_FIELDS = ["value", "reading_date", "booked_reading", "saved_by", "submitted_at", "flags"]


def _write_period_readings(period_readings, fields):
    """Insert the new period rows and update the existing ones in one statement (the unique
    meter + period decides which), whatever their number."""
    if period_readings:
        PeriodReading.objects.bulk_create(
            period_readings,
            update_conflicts=True,
            unique_fields=["meter", "period"],
            update_fields=[*fields, "updated_at"],
        )


def save_period_drafts(*, tenant, contract, period, entries, user, today):
    """Keep ``entries`` as drafts (allowed at any time). An accepted row is never overwritten:
    it is booked, and readings are append-only. Returns the number of drafts saved."""
    _check_unique(entries)
    saved = 0
    with transaction.atomic():
        for chunk in _chunks(entries):
            by_meter = _locked_rows(tenant=tenant, contract=contract, period=period, today=today, entries=chunk)
            drafts = [
                PeriodReading(
                    tenant=tenant,
                    contract=contract,
                    meter_id=entry.meter_id,
                    period=period,
                    value=entry.value,
                    reading_date=entry.reading_date,
                    status=PeriodReading.Status.DRAFT,
                    refusal_reason="",
                    saved_by=user,
                    flags=flags_of(by_meter[entry.meter_id]),
                )
                for entry in chunk
                if not _is_accepted(by_meter[entry.meter_id].period_reading)
            ]
            _write_period_readings(drafts, DRAFT_FIELDS)
            saved += len(drafts)
    return saved


def _is_accepted(period_reading):
    return period_reading is not None and period_reading.status == PeriodReading.Status.ACCEPTED


def submit_period_readings(*, tenant, contract, period, entries, user, today, calendar):
    """Check each entry and book the accepted ones as Readings; returns an Outcome per entry, in
    the entries' order.

    Raises SubmissionClosed outside the window (nothing is written then). All rows go in one
    transaction, in rounds of CHUNK_SIZE meters (a file may hold thousands).
    """
    window = submission_window(contract, period, calendar=calendar)
    if not window.contains(today):
        raise SubmissionClosed(closed_message(contract, period, today, calendar=calendar), code="window_closed")
    if not entries:
        raise ValidationError(_("Enter at least one reading."), code="no_entries")
    _check_unique(entries)
    booking = Booking(tenant=tenant, contract=contract, period=period, user=user, today=today, now=timezone.now())
    outcomes = {}
    with transaction.atomic():
        for chunk in _chunks(entries):
            outcomes.update(booking.submit(chunk))
    return [outcomes[entry.meter_id] for entry in entries]


@dataclass
class Booking:
    """One submission's rows, booked a round of meters at a time: the new readings in one insert,
    the corrections of accepted ones through ``correct_readings``, the period rows in one upsert."""

    tenant: object
    contract: object
    period: datetime.date
    user: object
    today: datetime.date
    now: datetime.datetime

    def submit(self, chunk):
        """{meter id: Outcome} for the entries of ``chunk``."""
        by_meter = _locked_rows(
            tenant=self.tenant, contract=self.contract, period=self.period, today=self.today, entries=chunk
        )
        outcomes = {}
        new, corrections = [], []
        for entry in chunk:
            row = by_meter[entry.meter_id]
            change = change_of(row, value=entry.value, reading_date=entry.reading_date)
            if change == UNCHANGED:
                outcomes[entry.meter_id] = Outcome(entry.meter_id, accepted=True, change=UNCHANGED)
                continue
            reason = refusal_reason(row, value=entry.value, reading_date=entry.reading_date, today=self.today)
            if change == NEW:
                new.append((row, entry, reason))
                outcomes[entry.meter_id] = Outcome(entry.meter_id, accepted=not reason, reason=reason)
            elif reason:
                outcomes[entry.meter_id] = Outcome(entry.meter_id, accepted=False, reason=reason, change=CORRECTION)
            elif row.period_reading.booked_reading_id is None:
                reason = str(_("The accepted reading cannot be corrected here; ask the utility."))
                outcomes[entry.meter_id] = Outcome(entry.meter_id, accepted=False, reason=reason, change=CORRECTION)
            else:
                corrections.append((row, entry))
        self._book_new(new)
        outcomes.update(self._correct(corrections))
        return outcomes

    def _book_new(self, new):
        readings = Reading.objects.bulk_create(
            [
                Reading(
                    tenant=self.tenant,
                    meter_id=row.meter.pk,
                    # The meters were locked on this contract's connection points (_locked_rows):
                    # no lookup of their contract per reading.
                    contract_id=self.contract.pk,
                    value=entry.value,
                    reading_date=entry.reading_date,
                    source=Reading.Source.LEGAL_ENTITY,
                    status=Reading.Status.ACCEPTED,
                    entered_by=self.user,
                )
                for row, entry, reason in new
                if not reason
            ]
        )
        booked = {reading.meter_id: reading for reading in readings}
        period_readings = [
            PeriodReading(
                tenant=self.tenant,
                contract=self.contract,
                meter_id=entry.meter_id,
                period=self.period,
                value=entry.value.quantize(THOUSANDTH),
                reading_date=entry.reading_date,
                saved_by=self.user,
                submitted_at=self.now,
                refusal_reason=reason,
                status=PeriodReading.Status.REFUSED if reason else PeriodReading.Status.ACCEPTED,
                booked_reading=booked.get(entry.meter_id),
                flags=flags_of(row),
            )
            for row, entry, reason in new
        ]
        _write_period_readings(period_readings, SUBMIT_FIELDS)

    def _correct(self, corrections):
        """A changed figure for a period already accepted, inside the window: the booked Reading
        is superseded by a new one (readings are append-only; staff see both), or the change is
        refused and the accepted reading stays."""
        if not corrections:
            return {}
        results = correct_readings(
            corrections=[
                Correction(
                    reading_id=row.period_reading.booked_reading_id,
                    value=entry.value.quantize(THOUSANDTH),
                    reading_date=entry.reading_date,
                )
                for row, entry in corrections
            ],
            actor=self.user,
            source=Reading.Source.LEGAL_ENTITY,
        )
        outcomes = {}
        corrected = []
        for row, entry in corrections:
            existing = row.period_reading
            booked = results[existing.booked_reading_id]
            if isinstance(booked, ValidationError):  # e.g. staff have corrected the booked reading meanwhile
                reason = " ".join(booked.messages)
                outcomes[entry.meter_id] = Outcome(entry.meter_id, accepted=False, reason=reason, change=CORRECTION)
                continue
            corrected.append(
                PeriodReading(
                    tenant_id=existing.tenant_id,
                    contract_id=existing.contract_id,
                    meter_id=existing.meter_id,
                    period=existing.period,
                    status=existing.status,
                    refusal_reason=existing.refusal_reason,
                    value=booked.value,
                    reading_date=booked.reading_date,
                    booked_reading=booked,
                    saved_by=self.user,
                    submitted_at=self.now,
                    flags=flags_of(row),
                )
            )
            outcomes[entry.meter_id] = Outcome(entry.meter_id, accepted=True, change=CORRECTION)
        _write_period_readings(corrected, CORRECTION_FIELDS)
        return outcomes
