"""Staff decisions on a readings application: accept, reject, send to an on-site check, record it.

Every decision locks the application row first, so a double click or two staff members acting at
once give one decision: the second finds the application closed (or moved on) and is refused.
Booking then locks the meter rows and compares each reading with the meter's latest booked one,
so a history never goes down or out of date order (issue #8, item 9).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Status
from applications.services import notify_applicant, transition
from billing.invoicing import form_invoice_for_application
from meters.holders import applicant_holds_account
from meters.models import Meter, Reading
from meters.services import correct_reading, register_meter
from portal.workdays import calendar_for
from readings.kinds import METER_READINGS
from readings.models import InspectedReading, OnSiteCheck, SubmittedReading

# The branch's inspector visits within this many working days. Azersu publishes no term for
# this check; five working days matches the application's own term, so the visit fits in it.
ON_SITE_CHECK_WORKING_DAYS = 5

REVIEWABLE = {Status.SUBMITTED, Status.IN_REVIEW}
# Where staff may still decide (accept, reject or send to an on-site check) on the review page.
DECIDABLE = REVIEWABLE | {Status.ON_SITE_CHECK}


class ReviewRefused(ValidationError):
    """The application is no longer in a state that allows the decision (closed, or already moved)."""


def _lock(application, allowed):
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("tenant", "kind", "account", "applicant", "branch")
        .get(pk=application.pk)
    )
    if locked.kind.code != METER_READINGS:
        raise ReviewRefused(_("This is not a readings application."), code="wrong_kind")
    if locked.status not in allowed:
        raise ReviewRefused(
            _("Application %(number)s is already “%(status)s”; nothing was changed."),
            code="not_reviewable",
            params={"number": locked.number, "status": Status(locked.status).label},
        )
    return locked


def _lock_meters(lines):
    """Lock the meters of ``lines`` (in primary-key order, as submission does) before reading their history."""
    meter_ids = {line.meter_id for line in lines if line.meter_id is not None}
    list(Meter.objects.select_for_update().filter(pk__in=meter_ids).order_by("pk"))


def latest_booked(meter_id):
    """The meter's latest accepted reading by date (then by entry), or None."""
    accepted = Reading.objects.filter(meter_id=meter_id, status=Reading.Status.ACCEPTED)
    return accepted.order_by("-reading_date", "-pk").first()


def _figures(line, latest, value=None, reading_date=None):
    return {
        "serial": line.meter.serial_number,
        "value": line.value if value is None else value,
        "date": date_format(line.reading_date if reading_date is None else reading_date, "SHORT_DATE_FORMAT"),
        "booked_value": latest.value,
        "booked_date": date_format(latest.reading_date, "SHORT_DATE_FORMAT"),
    }


def out_of_order_reason(line, latest):
    """Why ``line`` cannot be booked after ``latest`` (the meter's latest booked reading), or None.

    The line was checked when it was submitted; readings booked since (another application, an
    on-site check, a staff entry) may have overtaken it. Booking it anyway would make the history
    go down or out of date order and bill consumption twice.
    """
    if latest is None:
        return None
    if line.reading_date < latest.reading_date:
        return _(
            "Meter №%(serial)s: the reading %(value)s of %(date)s is dated before the reading %(booked_value)s "
            "booked on %(booked_date)s. Reject the application or send it to an on-site check."
        ) % _figures(line, latest)
    if line.value < latest.value:
        return _(
            "Meter №%(serial)s: the reading %(value)s of %(date)s is below the reading %(booked_value)s "
            "booked on %(booked_date)s. Reject the application or send it to an on-site check."
        ) % _figures(line, latest)
    return None


def _inspection_refusal(line, latest, value, performed_on):
    """Why the inspector's ``value`` cannot be booked for ``line``, or None (see record_on_site_check)."""
    if latest is None:
        return None
    figures = _figures(line, latest, value=value, reading_date=performed_on)
    if performed_on < latest.reading_date:
        return (
            _(
                "Meter №%(serial)s: the inspection date %(date)s is before the reading %(booked_value)s booked on "
                "%(booked_date)s."
            )
            % figures
        )
    if value < latest.value:
        above = Reading.objects.filter(meter_id=line.meter_id, status=Reading.Status.ACCEPTED, value__gt=value)
        if above.count() > 1:
            # One correction supersedes one row; a longer wrong history is for staff to sort out.
            return (
                _(
                    "Meter №%(serial)s: more than one booked reading is above the inspector's %(value)s; correct "
                    "them in the readings admin first."
                )
                % figures
            )
    return None


def _book(*, line, value, reading_date, source, actor, photo=""):
    return Reading.objects.create(
        tenant_id=line.tenant_id,
        meter_id=line.meter_id,
        value=value,
        reading_date=reading_date,
        source=source,
        status=Reading.Status.ACCEPTED,
        # The stored file is shared, not copied: neither row ever changes or deletes it.
        photo=photo,
        entered_by=actor,
    )


def _execute_and_invoice(*, application, actor, booked):
    # Acceptance never makes the applicant a holder of the account: anyone may submit readings
    # for a code (issue #8). Holding is proved on "Add an account" or confirmed by staff.
    invoice = form_invoice_for_application(application=application, booked_readings=booked)
    # A holder's invoice is e-mailed by the billing task with the PDF attached; without one (no
    # tariff in force), or when the applicant does not hold the account (the PDF carries the
    # holder's name and access code), he gets the generic "executed" e-mail.
    with_invoice = invoice is not None and applicant_holds_account(application)
    transition(application=application, to_status=Status.EXECUTED, actor=actor, notify=not with_invoice)
    return invoice


def accept_readings(*, application, actor):
    """Book every submitted reading as accepted, execute the application and form the invoice.

    Refused as a whole (``ReviewRefused``, one reason per line for staff) when a line is below, or
    dated before, the meter's latest booked reading: nothing is booked then.
    """
    with transaction.atomic():
        locked = _lock(application, REVIEWABLE)
        lines = list(
            # Only the lines are locked: an unlisted line has no meter, and PostgreSQL refuses
            # FOR UPDATE on the nullable side of the outer join to it.
            locked.reading_lines.select_for_update(of=("self",))
            .select_related("meter")
            .filter(outcome=SubmittedReading.Outcome.PENDING)
        )
        unlisted = [line for line in lines if line.meter_id is None]
        if unlisted:
            # Nothing to book it on: the inspector registers the meter when recording the on-site check.
            raise ReviewRefused(
                [
                    _(
                        "Meter №%(serial)s is not registered on the account: register the meter first, when "
                        "recording the on-site check."
                    )
                    % {"serial": line.entered_serial}
                    for line in unlisted
                ],
                code="unlisted_meter",
            )
        _lock_meters(lines)
        refusals = [reason for line in lines if (reason := out_of_order_reason(line, latest_booked(line.meter_id)))]
        if refusals:
            raise ReviewRefused(refusals, code="out_of_order")
        booked = []
        for line in lines:
            line.booked_reading = _book(
                line=line,
                value=line.value,
                reading_date=line.reading_date,
                source=Reading.Source.CITIZEN,
                actor=locked.applicant,
                photo=line.photo.name,
            )
            line.outcome = SubmittedReading.Outcome.ACCEPTED
            line.save(update_fields=["booked_reading", "outcome"])
            booked.append(line.booked_reading)
        _execute_and_invoice(application=locked, actor=actor, booked=booked)
    application.refresh_from_db()
    return booked


def reject_readings(*, application, actor, reason):
    """Refuse the readings; the reason is shown to the citizen and e-mailed by the workflow."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason the citizen will read."), code="reason_required")
    with transaction.atomic():
        locked = _lock(application, REVIEWABLE | {Status.ON_SITE_CHECK})
        locked.reading_lines.filter(outcome=SubmittedReading.Outcome.PENDING).update(
            outcome=SubmittedReading.Outcome.REJECTED
        )
        locked.on_site_checks.filter(status=OnSiteCheck.Status.OPEN).update(status=OnSiteCheck.Status.DONE)
        transition(application=locked, to_status=Status.REJECTED, actor=actor, note=reason)
    application.refresh_from_db()


def send_to_on_site_check(*, application, actor, reason):
    """Ask the account's branch to read the meters on site; the inspector's reading will prevail.

    ``actor`` is None when the portal decides (a submitted reading below the booked one); the
    citizen is told of the visit and its date either way, by e-mail and SMS, in the outbox."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the meters must be checked on site."), code="reason_required")
    with transaction.atomic():
        locked = _lock(application, REVIEWABLE)
        tenant = locked.tenant
        branch = locked.account.branch if locked.account_id else locked.branch
        check = OnSiteCheck.objects.create(
            tenant=tenant,
            application=locked,
            branch=branch,
            reason=reason,
            requested_by=actor,
            due_on=calendar_for(tenant).add_working_days(tenant.today(), ON_SITE_CHECK_WORKING_DAYS),
        )
        transition(application=locked, to_status=Status.ON_SITE_CHECK, actor=actor, note=reason)
        notify_on_site_check(application=locked, check=check)
    application.refresh_from_db()
    return check


def notify_on_site_check(*, application, check):
    notify_applicant(application, template="readings_on_site_check", context={"check": check})


@dataclass
class NewMeter:
    """A meter the inspector found for a line whose factory number the account did not have."""

    serial_number: str
    kind: str
    installed_on: datetime.date
    initial_reading: Decimal
    value: Decimal  # the reading found
    seal_number: str = ""


def _register_unlisted(*, locked, lines, new_meters, performed_on):
    """Register the meters of the application's unlisted lines (``new_meters``: line pk -> NewMeter)
    and link each line to its meter; returns {meter pk: (value, seal)} for booking them."""
    found = {}
    for line in lines:
        if line.meter_id is not None:
            continue
        new = new_meters.get(line.pk)
        if new is None:
            raise ValidationError(
                _("Register meter №%(serial)s: it is not on the account yet."),
                code="unlisted_meter",
                params={"serial": line.entered_serial},
            )
        if new.installed_on > performed_on:
            raise ValidationError(
                _("Meter №%(serial)s: it cannot be installed after the inspection."),
                code="installed_after_inspection",
                params={"serial": new.serial_number},
            )
        if new.value < new.initial_reading:
            raise ValidationError(
                _("Meter №%(serial)s: the reading found is below the reading at installation."),
                code="below_initial",
                params={"serial": new.serial_number},
            )
        meter = register_meter(
            account=locked.account,
            serial_number=new.serial_number,
            kind=new.kind,
            installed_on=new.installed_on,
            initial_reading=new.initial_reading,
            seal_number=new.seal_number,
        )
        line.meter = meter
        line.save(update_fields=["meter"])
        found[meter.pk] = (new.value, new.seal_number)
    return found


def record_on_site_check(*, check, actor, readings, performed_on, note="", new_meters=None):
    """Book the inspector's readings instead of the submitted ones, then execute and invoice.

    ``readings`` maps each meter of the application's lines to ``(value, seal_number_found)``.
    ``new_meters`` maps each line without a meter (a factory number the account did not have) to
    the ``NewMeter`` the inspector found: it is registered on the account, the line linked to it,
    and his reading booked on it.

    The inspector's reading prevails. One below the meter's latest booked reading (booked after
    the check was ordered, e.g. from a newer application) proves that booked figure wrong: it
    becomes a correction of it (``meters.services.correct_reading``: a new row superseding the
    wrong one), and the application's invoice is a corrective one that reverses what the wrong
    reading billed and bills the consumption up to the inspector's reading, so its total is
    negative (a credit on the account) instead of a 0.00 invoice. The over-billed invoice itself
    stays as issued: it may be paid or sent already, and the credit settles it in the balance.
    """
    with transaction.atomic():
        locked = _lock(check.application, {Status.ON_SITE_CHECK})
        check = OnSiteCheck.objects.select_for_update().get(pk=check.pk)
        if check.status != OnSiteCheck.Status.OPEN:
            raise ReviewRefused(_("This on-site check has already been recorded."), code="check_done")
        if performed_on > locked.tenant.today():
            raise ValidationError(_("The inspection date cannot be in the future."), code="future_inspection")
        lines = list(
            # Only the lines are locked: an unlisted line has no meter, and PostgreSQL refuses
            # FOR UPDATE on the nullable side of the outer join to it.
            locked.reading_lines.select_for_update(of=("self",))
            .select_related("meter")
            .filter(outcome=SubmittedReading.Outcome.PENDING)
        )
        by_meter_id = {getattr(meter, "pk", meter): found for meter, found in readings.items()}
        by_meter_id.update(
            _register_unlisted(locked=locked, lines=lines, new_meters=new_meters or {}, performed_on=performed_on)
        )
        missing = [line for line in lines if line.meter_id not in by_meter_id]
        if missing:
            raise ValidationError(_("Enter the reading found for every meter of the application."), code="missing")
        _lock_meters(lines)
        latest = {line.meter_id: latest_booked(line.meter_id) for line in lines}
        refusals = [
            reason
            for line in lines
            if (reason := _inspection_refusal(line, latest[line.meter_id], by_meter_id[line.meter_id][0], performed_on))
        ]
        if refusals:
            raise ValidationError(refusals, code="out_of_order")
        booked = []
        for line in lines:
            value, seal = by_meter_id[line.meter_id]
            InspectedReading.objects.create(check_visit=check, meter_id=line.meter_id, value=value, seal_number=seal)
            previous = latest[line.meter_id]
            if previous is not None and value < previous.value:
                # The meter shows less than what was booked since the citizen submitted: the booked
                # figure was wrong. The inspector's reading supersedes it, and the invoice formed
                # below credits what it over-billed (billing.invoicing.correction_lines).
                line.booked_reading = correct_reading(
                    reading=previous,
                    actor=actor,
                    value=value,
                    reading_date=performed_on,
                    source=Reading.Source.INSPECTION,
                    photo="",
                )
            else:
                line.booked_reading = _book(
                    line=line, value=value, reading_date=performed_on, source=Reading.Source.INSPECTION, actor=actor
                )
            line.outcome = SubmittedReading.Outcome.INSPECTED
            line.save(update_fields=["booked_reading", "outcome"])
            booked.append(line.booked_reading)
        check.status = OnSiteCheck.Status.DONE
        check.performed_on = performed_on
        check.inspector = actor
        check.note = note
        check.save(update_fields=["status", "performed_on", "inspector", "note"])
        _execute_and_invoice(application=locked, actor=actor, booked=booked)
    check.application.refresh_from_db()
    return booked


def mark_lines_withdrawn(*, application):
    """What withdrawing means for W1 (registered as the kind's ``on_withdraw``): the lines staff
    have not decided on show as withdrawn, so neither the citizen nor the review reads them as
    still pending. Runs inside the engine's withdrawal transaction."""
    application.reading_lines.filter(outcome=SubmittedReading.Outcome.PENDING).update(
        outcome=SubmittedReading.Outcome.WITHDRAWN
    )
