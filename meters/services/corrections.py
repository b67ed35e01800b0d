"""Staff corrections of booked readings. Readings are append-only: a correction is a new row that
supersedes the old one, which stays in the history marked superseded."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from meters.models import Reading


@dataclass(frozen=True)
class Correction:
    """The right figure for one booked reading; ``photo`` is the new row's file name (None: the old one's)."""

    reading_id: int
    value: Decimal
    reading_date: datetime.date
    photo: str | None = None


def correct_reading(*, reading, actor, value, reading_date, source=Reading.Source.STAFF, photo=None):
    """Replace ``reading`` by a corrected one; returns the new row.

    ``source`` says who found the right figure (staff by default; an on-site check books the
    inspector's reading this way); ``photo`` is the new row's file name, the old one's by default.
    """
    correction = Correction(reading_id=reading.pk, value=value, reading_date=reading_date, photo=photo)
    result = correct_readings(corrections=[correction], actor=actor, source=source)[reading.pk]
    if isinstance(result, ValidationError):
        raise result
    return result


def correct_readings(*, corrections, actor, source=Reading.Source.STAFF):
    """``correct_reading`` for many readings at once, in three queries whatever their number (a
    cabinet upload corrects thousands): {reading id: the new row, or the ValidationError that
    refused this one}. A refused correction leaves its reading as it is; the others go on.

    The old rows are locked first, so a reading that someone else has superseded meanwhile is
    refused rather than superseded twice (``supersedes`` is one-to-one as well).
    """
    ids = [correction.reading_id for correction in corrections]
    if len(set(ids)) != len(ids):
        raise ValueError("A reading can be corrected once per call.")
    results = {}
    with transaction.atomic():
        # In id order, so two batches over the same readings lock them in the same order.
        old_rows = {old.pk: old for old in Reading.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        new_rows = []
        for correction in corrections:
            old = old_rows.get(correction.reading_id)
            if old is None:
                raise Reading.DoesNotExist(f"Reading {correction.reading_id} does not exist.")
            refusal = _refusal(old, correction.value)
            if refusal is not None:
                results[old.pk] = refusal
                continue
            new_rows.append(
                Reading(
                    tenant_id=old.tenant_id,
                    meter_id=old.meter_id,
                    value=correction.value,
                    reading_date=correction.reading_date,
                    source=source,
                    status=Reading.Status.ACCEPTED,
                    supersedes=old,
                    photo=old.photo.name if correction.photo is None else correction.photo,
                    entered_by=actor,
                )
            )
        if new_rows:
            Reading.objects.filter(pk__in=[row.supersedes_id for row in new_rows]).update(
                status=Reading.Status.SUPERSEDED
            )
            for row in Reading.objects.bulk_create(new_rows):
                row.supersedes.status = Reading.Status.SUPERSEDED
                results[row.supersedes_id] = row
    return results


def _refusal(old, value):
    if old.status != Reading.Status.ACCEPTED:
        return ValidationError(
            _("Only an accepted reading can be corrected; this one is “%(status)s”."),
            code="not_accepted",
            params={"status": old.get_status_display()},
        )
    if value < 0:
        return ValidationError(_("A reading cannot be negative."), code="negative")
    return None
