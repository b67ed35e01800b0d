"""The row-by-row readings path as it was before the set-based one (issue #12, goal 4), kept as the
oracle the set-based services are compared with (tests/cabinet/test_bulk_readings_equivalence.py):
same rules, one meter at a time, several queries a row. Not used by the application."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cabinet.models import PeriodReading
from cabinet.services.period_readings import (
    CORRECTION,
    THOUSANDTH,
    UNCHANGED,
    Outcome,
    change_of,
    flags_of,
    meter_rows,
    refusal_reason,
)
from meters.models import Meter, Reading


def correct_reading(*, reading, actor, value, reading_date, source=Reading.Source.STAFF, photo=None):
    with transaction.atomic():
        old = Reading.objects.select_for_update().get(pk=reading.pk)
        if old.status != Reading.Status.ACCEPTED:
            raise ValidationError(
                _("Only an accepted reading can be corrected; this one is “%(status)s”."),
                code="not_accepted",
                params={"status": old.get_status_display()},
            )
        if value < 0:
            raise ValidationError(_("A reading cannot be negative."), code="negative")
        old.status = Reading.Status.SUPERSEDED
        old.save(update_fields=["status"])
        return Reading.objects.create(
            tenant_id=old.tenant_id,
            meter_id=old.meter_id,
            value=value,
            reading_date=reading_date,
            source=source,
            status=Reading.Status.ACCEPTED,
            supersedes=old,
            photo=old.photo.name if photo is None else photo,
            entered_by=actor,
        )


def _check_meters(rows, entries):
    known = {row.meter.pk for row in rows}
    ids = [entry.meter_id for entry in entries]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Each meter may appear only once."), code="duplicate_meter")
    if not set(ids) <= known:
        raise ValidationError(_("A meter is not on this contract."), code="foreign_meter")


def save_period_drafts(*, tenant, contract, period, entries, user, today):
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


def submit_period_readings(*, tenant, contract, period, entries, user, today):
    """The booking part of submit_period_readings (the window and "no entries" checks come before
    it and are unchanged)."""
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
    except ValidationError as error:
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
