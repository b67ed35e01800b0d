"""Staff decisions on a readings application: accept, reject, send to an on-site check, record it.

Every decision locks the application row first, so a double click or two staff members acting at
once give one decision: the second finds the application closed (or moved on) and is refused.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Status
from applications.services import transition
from billing.invoicing import form_invoice_for_application
from meters.holders import applicant_holds_account
from meters.models import Reading
from portal.workdays import calendar_for
from readings.kinds import METER_READINGS
from readings.models import InspectedReading, OnSiteCheck, SubmittedReading

# The branch's inspector visits within this many working days. Azersu publishes no term for
# this check; five working days matches the application's own term, so the visit fits in it.
ON_SITE_CHECK_WORKING_DAYS = 5

REVIEWABLE = {Status.SUBMITTED, Status.IN_REVIEW}


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
    """Book every submitted reading as accepted, execute the application and form the invoice."""
    with transaction.atomic():
        locked = _lock(application, REVIEWABLE)
        booked = []
        for line in locked.reading_lines.select_for_update().filter(outcome=SubmittedReading.Outcome.PENDING):
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
    """Ask the account's branch to read the meters on site; the inspector's reading will prevail."""
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
    application.refresh_from_db()
    return check


def record_on_site_check(*, check, actor, readings, performed_on, note=""):
    """Book the inspector's readings instead of the submitted ones, then execute and invoice.

    ``readings`` maps each meter of the application's lines to ``(value, seal_number_found)``.
    """
    with transaction.atomic():
        locked = _lock(check.application, {Status.ON_SITE_CHECK})
        check = OnSiteCheck.objects.select_for_update().get(pk=check.pk)
        if check.status != OnSiteCheck.Status.OPEN:
            raise ReviewRefused(_("This on-site check has already been recorded."), code="check_done")
        if performed_on > locked.tenant.today():
            raise ValidationError(_("The inspection date cannot be in the future."), code="future_inspection")
        lines = list(locked.reading_lines.select_for_update().filter(outcome=SubmittedReading.Outcome.PENDING))
        by_meter_id = {getattr(meter, "pk", meter): found for meter, found in readings.items()}
        missing = [line for line in lines if line.meter_id not in by_meter_id]
        if missing:
            raise ValidationError(_("Enter the reading found for every meter of the application."), code="missing")
        booked = []
        for line in lines:
            value, seal = by_meter_id[line.meter_id]
            InspectedReading.objects.create(check_visit=check, meter_id=line.meter_id, value=value, seal_number=seal)
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
