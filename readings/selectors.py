"""Reads of the staff review: each line of a readings application against the database."""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meters.models import Meter
from meters.selectors import MeterSummary, meter_summaries, normalize_serial
from portal.urls_helpers import tenant_reverse
from readings.models import SubmittedReading


@dataclass
class ReviewRow:
    """One line of a readings application as staff see it against the database."""

    line: object
    summary: MeterSummary | None
    badges: list  # (css class, message)
    photo_url: str
    photo_is_image: bool = False  # a thumbnail is shown; a PDF only gets its link


def review_rows(application):
    """Lines of ``application`` with their readable flags; one query for the lines, one for the history."""
    flag = SubmittedReading.Flag
    lines = list(application.reading_lines.select_related("meter", "booked_reading", "superseded_by__application"))
    meters = Meter.objects.filter(
        tenant_id=application.tenant_id, pk__in=[line.meter_id for line in lines if line.meter_id is not None]
    )
    summaries = {s.meter.pk: s for s in meter_summaries(meters, application.tenant.today())}
    rows = []
    for line in lines:
        summary = summaries.get(line.meter_id)
        badges = []
        if line.meter_id is None:
            # The citizen's factory number is not on the account: nothing to compare it with.
            badges.append(
                (
                    "error",
                    _(
                        "Meter №%(serial)s is not on the account: register it when recording the on-site check"
                    )
                    % {"serial": line.entered_serial},
                )
            )
        elif normalize_serial(line.entered_serial) != normalize_serial(line.meter.serial_number):
            badges.append(
                (
                    "error",
                    _("Factory number entered %(entered)s, database %(db)s")
                    % {"entered": line.entered_serial, "db": line.meter.serial_number},
                )
            )
        if flag.SEAL_DIFFERS in line.flags and line.meter_id is not None:
            badges.append(
                (
                    "warning",
                    _("Seal number entered %(entered)s, database %(db)s")
                    % {"entered": line.entered_seal, "db": line.meter.seal_number or "—"},
                )
            )
        if line.previous_value is not None and line.value < line.previous_value:
            badges.append(("error", _("Below the last accepted reading %(value)s") % {"value": line.previous_value}))
        elif flag.BELOW_BOOKED in line.flags:  # below the reading at installation
            badges.append(("error", flag.BELOW_BOOKED.label))
        if flag.IMPLAUSIBLE_JUMP in line.flags:
            usual = summary.usual_daily if summary else None
            since = line.value - (line.previous_value or line.meter.initial_reading)
            badges.append(
                (
                    "warning",
                    _("Implausible jump: %(since)s since the last reading; usual consumption %(usual)s a day")
                    % {"since": since, "usual": f"{usual:.3f}" if usual is not None else _("unknown")},
                )
            )
        if flag.VERIFICATION_EXPIRED in line.flags:
            due = line.meter.verification_due_on
            badges.append(
                (
                    "warning",
                    _("State verification expired on %(date)s: arrange a verification")
                    % {"date": date_format(due, "SHORT_DATE_FORMAT") if due else "—"},
                )
            )
        if flag.CONFIRMED_BY_CITIZEN in line.flags:
            badges.append(("info", flag.CONFIRMED_BY_CITIZEN.label))
        photo_url = ""
        if line.photo:
            photo_url = tenant_reverse(application.tenant, "readings:submission_photo", kwargs={"pk": line.pk})
        photo_is_image = bool(line.photo) and not line.photo.name.lower().endswith(".pdf")
        rows.append(
            ReviewRow(line=line, summary=summary, badges=badges, photo_url=photo_url, photo_is_image=photo_is_image)
        )
    return rows
