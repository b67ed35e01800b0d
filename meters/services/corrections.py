"""Staff corrections of booked readings. Readings are append-only: a correction is a new row that
supersedes the old one, which stays in the history marked superseded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from meters.models import Reading


def correct_reading(*, reading, actor, value, reading_date, source=Reading.Source.STAFF, photo=None):
    """Replace ``reading`` by a corrected one; returns the new row.

    ``source`` says who found the right figure (staff by default; an on-site check books the
    inspector's reading this way); ``photo`` is the new row's file name, the old one's by default.
    """
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
