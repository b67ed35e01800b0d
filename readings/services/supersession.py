"""A newer W1 submission replaces the reading of the same meter still waiting in another application.

Two pending applications for one meter, accepted one after the other, booked a history that went
down and billed part of the consumption twice (issue #8, item 9). So a meter has at most one
pending line: the newer submission supersedes the older line, an application left with nothing
but superseded lines is closed through the engine with a reason its applicant can read, and the
citizen who submitted the newer reading is told what it replaced.

An application sent to an on-site check keeps its lines: staff ordered the visit because the
reading contradicted the database, and a new submission must not call it off. The newer line is
then checked at acceptance against whatever the inspection books (review.accept_readings).
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from applications.models import Application, Status
from applications.services import add_comment, transition
from readings.models import SubmittedReading

SUPERSEDABLE = {Status.SUBMITTED, Status.IN_REVIEW, Status.WAITING_FOR_APPLICANT}


@dataclass(frozen=True)
class ReplacedLine:
    """What the citizen is told about one line his submission replaced."""

    serial: str
    # The earlier application's number when it is his own; someone else's stays unnamed.
    application_number: str | None


def _competing_lines(*, tenant, meter_ids, exclude):
    return (
        SubmittedReading.objects.for_tenant(tenant)
        .filter(meter_id__in=meter_ids, outcome=SubmittedReading.Outcome.PENDING, application__status__in=SUPERSEDABLE)
        .exclude(application=exclude)
    )


def lock_competing_applications(*, tenant, meter_ids, exclude):
    """Lock, in primary-key order, the open applications with a pending line of ``meter_ids``.

    Acceptance locks the application before its lines and meters; taking the applications first
    here keeps the same order, so a submission and an acceptance wait for each other instead of
    deadlocking.
    """
    application_ids = _competing_lines(tenant=tenant, meter_ids=meter_ids, exclude=exclude).values("application_id")
    return list(Application.objects.select_for_update().filter(pk__in=application_ids).order_by("pk"))


def supersede_pending_lines(*, application, new_lines, applicant):
    """Mark the older pending lines of the meters of ``new_lines`` superseded by them; close the
    applications left without a pending line. Returns the ``ReplacedLine``s to tell the citizen.

    Called inside the submission's transaction, after ``lock_competing_applications``.
    """
    by_meter = {line.meter_id: line for line in new_lines}
    older = list(
        _competing_lines(tenant=application.tenant, meter_ids=list(by_meter), exclude=application)
        .select_related("application", "meter")
        .order_by("application_id", "pk")
    )
    replaced, touched = [], {}
    for line in older:
        line.outcome = SubmittedReading.Outcome.SUPERSEDED
        line.superseded_by = by_meter[line.meter_id]
        line.save(update_fields=["outcome", "superseded_by"])
        own = line.application.applicant_id == applicant.pk
        number = line.application.number if own else None
        replaced.append(ReplacedLine(serial=line.meter.serial_number, application_number=number))
        touched.setdefault(line.application_id, (line.application, []))[1].append(line)
    submitted_on = date_format(application.tenant.today(), "SHORT_DATE_FORMAT")
    for earlier, lines in touched.values():
        own = earlier.applicant_id == applicant.pk
        with translation.override(earlier.language):
            if earlier.reading_lines.exclude(outcome=SubmittedReading.Outcome.SUPERSEDED).exists():
                for line in lines:
                    add_comment(
                        application=earlier,
                        actor=applicant if own else None,
                        note=gettext(
                            "The reading of meter №%(serial)s was replaced by a newer one submitted on %(date)s."
                        )
                        % {"serial": line.meter.serial_number, "date": submitted_on},
                        public=True,
                    )
                continue
            if own:
                reason = gettext(
                    "Replaced by your application %(number)s with newer readings of the same meters; "
                    "staff will check that one instead."
                ) % {"number": application.number}
            else:
                reason = gettext(
                    "Replaced by newer readings of the same meters submitted on %(date)s; "
                    "staff will check those instead."
                ) % {"date": submitted_on}
        # Its own applicant learns it on the page of his new application; anyone else by e-mail.
        actor = applicant if own else None
        transition(application=earlier, to_status=Status.REJECTED, actor=actor, note=reason, notify=not own)
    return replaced


def replaced_lines(application):
    """What the submission of ``application`` replaced, for its done page (the e-mail gets the same)."""
    lines = (
        SubmittedReading.objects.filter(superseded_by__application=application)
        .select_related("application", "meter")
        .order_by("application_id", "pk")
    )
    return [
        ReplacedLine(
            serial=line.meter.serial_number,
            application_number=line.application.number
            if line.application.applicant_id == application.applicant_id
            else None,
        )
        for line in lines
    ]
