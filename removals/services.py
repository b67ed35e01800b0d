"""W3's use cases: the only writers of a case. Each step checks what the rules need, writes in one
transaction (the case, its clock, its act, its invoice, the outbox) and refuses bad input with a
ValidationError in the user's language, leaving nothing half-saved. Section numbers are those of
Azerigaz's rules for removing household gas meters and registering them for state verification."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications import clocks
from applications.models import Application, Attachment, StageClock, Status
from applications.services import open_application, transition
from billing.invoicing import charge_line, form_charge_invoice
from billing.models import Invoice, Service
from billing.services import record_payment
from meters.models import Meter, SupplySuspension
from portal.workdays import calendar_for
from removals import notices
from removals.acts import draw_up_act
from removals.kinds import ACT_DAYS, METER_REMOVAL, STAGES, StageCode
from removals.models import Act, Channel, MeterPrice, MeterRemoval, Reason, Result, seal_set

# Lazy labels: a notice renders them in its recipient's language.
STAGE_LABELS = {stage.code: stage.label for stage in STAGES}
# §2.7: the consumer pays the value of a tampered meter with all costs.
DAMAGES_RESULTS = {Result.TAMPERED}


def _refuse(message, code):
    raise ValidationError(message, code=code)


def _locked(removal):
    return (
        MeterRemoval.objects.select_for_update(of=("self",))
        .select_related(
            "tenant",
            "meter",
            "application",
            "application__tenant",
            "application__kind",
            "application__branch",
            "application__account",
            "fee_invoice",
            "damages_invoice",
        )
        .get(pk=removal.pk)
    )


def _local_date(tenant, moment):
    return timezone.localtime(moment, timezone=_zone(tenant)).date()


def _zone(tenant):
    from zoneinfo import ZoneInfo

    return ZoneInfo(tenant.timezone)


# -- money rules ---------------------------------------------------------------------------------


def price_for(meter):
    """The tenant's price-list row of the meter's type, or None."""
    return MeterPrice.objects.for_tenant(meter.tenant).filter(meter_type__iexact=meter.model.strip()).first()


def verification_fee_due(removal):
    """§1.3: paid by the consumer at his own request or after tampering; §1.5: never for a
    meter ruined by a natural disaster; free otherwise (periodic verification is Azerigaz's)."""
    if removal.natural_disaster:
        return False
    return removal.requested_by_consumer or removal.result == Result.TAMPERED


def fee_amount(meter):
    price = price_for(meter)
    return price.verification_fee if price is not None else None


# -- opening a case ------------------------------------------------------------------------------


@dataclass
class NewMeter:
    """The replacement meter fitted at removal (created in meters with its opening reading)."""

    serial_number: str
    model: str
    opening_reading: Decimal
    seal_number: str = ""


def open_case(
    *,
    account,
    meter,
    reason,
    channel,
    actor,
    idempotency_key,
    applicant=None,
    reporter_name="",
    requested_by_consumer=False,
    natural_disaster=False,
    attendance_requested=False,
    language=None,
    contact_phone="",
    contact_email="",
    notes="",
):
    """Register a case for ``meter`` of ``account``; returns ``(removal, created)``.

    §1.2: tampering found on a field visit stops the supply at once; §1.4: an out-of-hours call
    starts with "supply stopped" and its work is due the next working day.
    """
    tenant = account.tenant
    if meter.account_id != account.pk or meter.tenant_id != tenant.pk:
        _refuse(_("This meter does not belong to the account."), "meter_account")
    if meter.status != Meter.Status.ACTIVE:
        _refuse(_("This meter is no longer in service."), "meter_inactive")
    if reason not in Reason.values:
        _refuse(_("Choose one of the reasons of the rules."), "reason")
    if channel not in Channel.values:
        _refuse(_("Say who reported it and how."), "channel")
    if applicant is None:
        applicant = account.users.order_by("pk").first() or actor
    with transaction.atomic():
        open_elsewhere = (
            MeterRemoval.objects.for_tenant(tenant)
            .filter(meter=meter)
            .exclude(application__status__in=[Status.EXECUTED, Status.REJECTED, Status.WITHDRAWN])
        )
        application, created = open_application(
            tenant=tenant,
            kind_code=METER_REMOVAL,
            applicant=applicant,
            idempotency_key=idempotency_key,
            language=language or applicant.preferred_language or tenant.default_language,
            account=account,
            contact_phone=contact_phone,
            contact_email=contact_email,
            notes=notes,
        )
        if not created:
            return application.meter_removal, False
        if open_elsewhere.exists():
            _refuse(_("This meter already has an open case."), "case_open")
        removal = MeterRemoval.objects.create(
            tenant=tenant,
            application=application,
            meter=meter,
            reason=reason,
            channel=channel,
            reporter_name=reporter_name,
            requested_by_consumer=requested_by_consumer,
            natural_disaster=natural_disaster,
            attendance_requested=attendance_requested,
        )
        clocks.enter_stage(application=application, stage=StageCode.REGISTERED, actor=actor)
        if channel == Channel.OUT_OF_HOURS or (reason == Reason.TAMPERING and channel == Channel.FIELD_VISIT):
            suspend_supply(
                removal=removal,
                actor=actor,
                reason=_("Out-of-hours call: supply stopped until the work of the next working day (§1.4)")
                if channel == Channel.OUT_OF_HOURS
                else _("Illegal use found on site (§1.2)"),
            )
    return removal, True


# -- supply --------------------------------------------------------------------------------------


def suspend_supply(*, removal, actor, reason, meter=None):
    """Stop the supply to the case's meter (or ``meter``, the one fitted later); suspending a
    meter already suspended returns its open record."""
    meter = meter or removal.meter
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Say why the supply is suspended."), "reason_required")
    with transaction.atomic():
        open_row = SupplySuspension.objects.filter(meter=meter, restored_at__isnull=True).first()
        if open_row is not None:
            return open_row
        suspension = SupplySuspension.objects.create(
            tenant=removal.tenant,
            account=meter.account,
            meter=meter,
            reason=str(reason)[:300],
            case_number=removal.application.number,
            suspended_at=timezone.now(),
            suspended_by=actor,
        )
        notices.notify_consumer(removal, template="removal_supply_suspended", context={"suspension": suspension})
    return suspension


def restore_supply(*, removal, actor, note):
    """§1.2: the supply comes back once the cause is removed; staff say what was done."""
    note = (note or "").strip()
    if not note:
        _refuse(_("Say what was done to remove the cause before restoring the supply."), "note_required")
    with transaction.atomic():
        rows = list(
            SupplySuspension.objects.select_for_update().filter(
                tenant=removal.tenant, case_number=removal.application.number, restored_at__isnull=True
            )
        )
        if not rows:
            _refuse(_("The supply of this case is not suspended."), "not_suspended")
        now = timezone.now()
        for row in rows:
            row.restored_at, row.restored_by, row.restoration_note = now, actor, note
            row.save(update_fields=["restored_at", "restored_by", "restoration_note"])
        notices.notify_consumer(removal, template="removal_supply_restored", context={"note": note})
    return rows


# -- the custody chain ---------------------------------------------------------------------------


def record_removal(
    *, removal, actor, removed_at, reading, seals, consumer_present, bag_number, photos=(), replacement=None
):
    """The removal record (§2.1's clock starts here): reading and seal numbers are required; a
    replacement meter, if one was fitted, is created on the account with its opening reading."""
    if reading is None:
        _refuse(_("Enter the meter's reading at removal."), "reading_required")
    if not seal_set(seals or ""):
        _refuse(_("Enter the seal numbers found on the meter."), "seals_required")
    if removed_at is None:
        _refuse(_("Enter the date and time of the removal."), "removed_at_required")
    if isinstance(removed_at, datetime) and removed_at > timezone.now():
        _refuse(_("The removal cannot be in the future."), "removed_in_future")
    if not (bag_number or "").strip():
        _refuse(_("Enter the number of the sealed bag the meter is packed in."), "bag_required")
    with transaction.atomic():
        locked = _locked(removal)
        if locked.removed_at is not None:
            _refuse(_("The removal of this case is already recorded."), "already_removed")
        tenant = locked.tenant
        removed_on = _local_date(tenant, removed_at)
        locked.removed_at = removed_at
        locked.removal_reading = reading
        locked.removal_seals = ", ".join(sorted(seal_set(seals)))
        locked.consumer_present = consumer_present
        locked.bag_number = bag_number.strip()
        locked.removed_by = actor
        meter = locked.meter
        if replacement is not None:
            if not replacement.serial_number.strip():
                _refuse(_("Enter the factory number of the replacement meter."), "replacement_serial")
            if Meter.objects.filter(account=meter.account, serial_number=replacement.serial_number.strip()).exists():
                _refuse(_("The account already has a meter with this factory number."), "replacement_exists")
            new_meter = Meter(
                tenant=tenant,
                account=meter.account,
                serial_number=replacement.serial_number.strip(),
                seal_number=replacement.seal_number.strip(),
                kind=meter.kind,
                model=replacement.model.strip(),
                integer_digits=meter.integer_digits,
                installed_on=removed_on,
                initial_reading=replacement.opening_reading,
                replaces=meter,
                service_point=meter.service_point,
            )
            new_meter.full_clean(exclude=["tenant", "account", "replaces", "service_point"])
            new_meter.save()
            locked.replacement_meter = new_meter
            meter.status = Meter.Status.REPLACED
        else:
            meter.status = Meter.Status.REMOVED
        meter.save(update_fields=["status"])
        locked.save()
        for photo, name in photos:
            Attachment.objects.create(
                application=locked.application, file=photo, original_name=name[:200], uploaded_by=actor
            )
        application = locked.application
        if application.status == Status.SUBMITTED:
            transition(application=application, to_status=Status.IN_REVIEW, actor=actor, notify=False)
        # Staff often record the removal after the fact: the case began no later than the removal.
        StageClock.objects.filter(
            application=application, stage=StageCode.REGISTERED, started_on__gt=removed_on
        ).update(started_on=removed_on)
        clocks.enter_stage(application=application, stage=StageCode.REMOVED, actor=actor, start=removed_on)
        draw_up_act(removal=locked, kind=Act.Kind.REMOVAL, actor=actor)
    return locked


def record_delivery(*, removal, actor, delivered_on):
    """The meter reached the verification lab: §2.1's clock stops, §2.4's starts."""
    with transaction.atomic():
        locked = _locked(removal)
        if locked.removed_at is None:
            _refuse(_("Record the removal first."), "not_removed")
        if delivered_on < _local_date(locked.tenant, locked.removed_at):
            _refuse(_("The meter cannot reach the lab before it was removed."), "delivered_before_removal")
        if delivered_on > locked.tenant.today():
            _refuse(_("The delivery date cannot be in the future."), "delivered_in_future")
        if locked.delivered_on is not None:
            return locked
        locked.delivered_on = delivered_on
        locked.save(update_fields=["delivered_on"])
        clocks.enter_stage(application=locked.application, stage=StageCode.AT_LAB, actor=actor, start=delivered_on)
    return locked


def compare_at_intake(removal, *, reading, seals):
    """§2.2: what differs from the removal record (empty when nothing does), in the active language."""
    return removal.difference_at_intake(reading=reading, seals=seals)


def record_intake(*, removal, actor, intake_on, reading, seals):
    """The lab's intake check: reading and seal numbers compared with the removal record; a
    difference makes the special record (§2.2) and a notice to the branch and the consumer."""
    if reading is None:
        _refuse(_("Enter the reading found at intake."), "reading_required")
    with transaction.atomic():
        locked = _locked(removal)
        if locked.removed_at is None:
            _refuse(_("Record the removal first."), "not_removed")
        removed_on = _local_date(locked.tenant, locked.removed_at)
        if intake_on < removed_on:
            _refuse(_("The intake date cannot be before the removal."), "intake_before_removal")
        if intake_on > locked.tenant.today():
            _refuse(_("The intake date cannot be in the future."), "intake_in_future")
        if locked.intake_on is not None:
            _refuse(_("The intake of this case is already recorded."), "already_taken_in")
        if locked.delivered_on is None:
            record_delivery(removal=locked, actor=actor, delivered_on=intake_on)
            locked = _locked(removal)
        elif intake_on < locked.delivered_on:
            _refuse(_("The intake date cannot be before the delivery to the lab."), "intake_before_delivery")
        with translation.override(locked.application.language):
            difference = compare_at_intake(locked, reading=reading, seals=seals)
        locked.intake_on = intake_on
        locked.intake_reading = reading
        locked.intake_seals = ", ".join(sorted(seal_set(seals or "")))
        locked.intake_mismatch = difference
        locked.save(update_fields=["intake_on", "intake_reading", "intake_seals", "intake_mismatch"])
        if difference:
            act = draw_up_act(removal=locked, kind=Act.Kind.INTAKE_MISMATCH, actor=actor)
            context = {"difference": difference, "act": act}
            notices.notify_branch(locked, template="removal_intake_mismatch", context=context)
            notices.notify_consumer(locked, template="removal_intake_mismatch", context=context)
    return locked


def record_verification(
    *, removal, actor, result, verified_on, certificate_number, valid_until=None, verifier_name="", remarks=""
):
    """The lab's result with the register's fields; the §2.5 acts are then due 7 working days
    after intake. The §1.3 fee is invoiced here when the consumer pays it."""
    if result not in Result.values:
        _refuse(_("Choose the verification result."), "result_required")
    if not (certificate_number or "").strip():
        _refuse(_("Enter the certificate or notice number."), "certificate_required")
    with transaction.atomic():
        locked = _locked(removal)
        if locked.intake_on is None:
            _refuse(_("A verification result needs the intake at the lab first."), "result_before_intake")
        if locked.result:
            _refuse(_("The verification result of this case is already recorded."), "already_verified")
        if verified_on < locked.intake_on:
            _refuse(_("The verification cannot be before the intake."), "verified_before_intake")
        if verified_on > locked.tenant.today():
            _refuse(_("The verification date cannot be in the future."), "verified_in_future")
        if result == Result.SUITABLE and valid_until is None:
            _refuse(_("Enter the date the verification is valid until."), "valid_until_required")
        if valid_until is not None and valid_until <= verified_on:
            _refuse(_("The verification must be valid after the day it was made."), "valid_until_past")
        locked.result = result
        locked.verified_on = verified_on
        locked.certificate_number = certificate_number.strip()
        locked.valid_until = valid_until
        locked.verifier_name = verifier_name.strip()
        locked.verification_remarks = remarks.strip()
        locked.save()
        if result == Result.SUITABLE and valid_until is not None:
            Meter.objects.filter(pk=locked.meter_id).update(verification_due_on=valid_until)
        application = locked.application
        clock = clocks.enter_stage(application=application, stage=StageCode.VERIFIED, actor=actor, start=verified_on)
        _count_acts_from_intake(application, clock, locked.intake_on)
        if verification_fee_due(locked) and locked.fee_invoice_id is None:
            _invoice_fee(locked)
    return locked


def _count_acts_from_intake(application, clock, intake_on):
    """§2.5 counts the acts' 7 working days from the intake, not from the verification: the clock
    is started on the intake day, so a late verification shows as a late act."""
    clock.started_on = intake_on
    clock.term_days = ACT_DAYS
    clock.due_on = calendar_for(application.tenant).add_working_days(intake_on, ACT_DAYS + clock.paused_working_days)
    clock.save(update_fields=["started_on", "term_days", "due_on"])
    Application.objects.filter(pk=application.pk).update(due_on=clock.due_on)
    application.due_on = clock.due_on


def _invoice_fee(removal):
    amount = fee_amount(removal.meter)
    if amount is None:
        _refuse(
            _("The price list has no verification fee for meter type “%(type)s”.") % {"type": removal.meter.model},
            "no_price",
        )
    with translation.override(removal.application.language):
        line = charge_line(
            service=Service.VERIFICATION,
            description=_("State verification of gas meter №%(serial)s (case %(number)s)")
            % {"serial": removal.meter.serial_number, "number": removal.application.number},
            amount=amount,
            unit=_("pc."),
            meter=removal.meter,
        )
    invoice = form_charge_invoice(
        account=removal.application.account, lines=[line], language=removal.application.language
    )
    removal.fee_invoice = invoice
    removal.save(update_fields=["fee_invoice"])
    return invoice


def issue_acts(*, removal, actor):
    """§2.5–§2.6: the notice and opinion, drawn up and sent to the consumer."""
    with transaction.atomic():
        locked = _locked(removal)
        if not locked.result:
            _refuse(_("An act needs the verification result first."), "act_without_result")
        act = draw_up_act(removal=locked, kind=Act.Kind.NOTICE_OPINION, actor=actor)
        if locked.application.stage == StageCode.VERIFIED:
            clocks.enter_stage(application=locked.application, stage=StageCode.ACTS_ISSUED, actor=actor)
            notices.notify_consumer(locked, template="removal_act_issued", context={"act": act})
    return act


def charge_damages(*, removal, actor):
    """§2.7: the value of a tampered meter with all costs, from the tenant's price list."""
    with transaction.atomic():
        locked = _locked(removal)
        if locked.natural_disaster:
            _refuse(
                _("A meter ruined by a natural disaster is replaced free: no damages are charged (§1.5)."),
                "damages_disaster",
            )
        if locked.result not in DAMAGES_RESULTS:
            _refuse(_("Damages are charged only for a meter found tampered with (§2.7)."), "damages_not_tampered")
        if not locked.acts.filter(kind=Act.Kind.NOTICE_OPINION).exists():
            _refuse(
                _("Draw up the notice and opinion first: the consumer is told of the damages in it."),
                "damages_before_act",
            )
        if locked.damages_invoice_id is not None:
            return locked.damages_invoice
        price = price_for(locked.meter)
        if price is None:
            _refuse(
                _("The price list has no value for meter type “%(type)s”.") % {"type": locked.meter.model}, "no_price"
            )
        with translation.override(locked.application.language):
            serial = locked.meter.serial_number
            lines = [
                charge_line(
                    service=Service.METER_DAMAGES,
                    description=_("Value of gas meter №%(serial)s") % {"serial": serial},
                    amount=price.meter_value,
                    unit=_("pc."),
                    meter=locked.meter,
                ),
            ]
            if price.installation_cost:
                lines.append(
                    charge_line(
                        service=Service.METER_DAMAGES,
                        description=_("Removal and installation costs"),
                        amount=price.installation_cost,
                        unit=_("pc."),
                        meter=locked.meter,
                    )
                )
        invoice = form_charge_invoice(
            account=locked.application.account, lines=lines, language=locked.application.language
        )
        locked.damages_invoice = invoice
        locked.save(update_fields=["damages_invoice"])
        clocks.enter_stage(application=locked.application, stage=StageCode.DAMAGES, actor=actor)
        notices.notify_consumer(locked, template="removal_damages", context={"invoice": invoice})
    return invoice


def damages_unpaid(removal):
    invoice = removal.damages_invoice
    return invoice is not None and invoice.status == Invoice.Status.ISSUED


def warn_unpaid_damages(*, removal, today=None):
    """After the tenant's working days unpaid damages bring a warning (once)."""
    with transaction.atomic():
        locked = _locked(removal)
        if not damages_unpaid(locked):
            _refuse(_("The damages of this case are paid or not charged."), "not_unpaid")
        if locked.damages_warned_on is not None:
            return locked
        locked.damages_warned_on = today or locked.tenant.today()
        locked.save(update_fields=["damages_warned_on"])
        notices.notify_consumer(locked, template="removal_damages_warning", context={"invoice": locked.damages_invoice})
    return locked


def enforce_unpaid_damages(*, removal, actor):
    """§2.8, confirmed by a person: the act of removal, installation and commissioning, and the
    flat's supply suspended (on the meter fitted in place of the removed one)."""
    with transaction.atomic():
        locked = _locked(removal)
        if not damages_unpaid(locked):
            _refuse(_("The damages of this case are paid or not charged."), "not_unpaid")
        if locked.damages_warned_on is None:
            _refuse(_("Warn the consumer of the unpaid damages first."), "not_warned")
        act = draw_up_act(removal=locked, kind=Act.Kind.REINSTALLATION, actor=actor)
        meter = locked.replacement_meter or locked.meter
        suspend_supply(removal=locked, actor=actor, meter=meter, reason=_("Damages not paid (§2.8)"))
        clocks.enter_stage(application=locked.application, stage=StageCode.ENFORCED, actor=actor)
    return act


def record_damages_payment(*, removal, actor, amount, paid_on, external_id, channel=""):
    with transaction.atomic():
        locked = _locked(removal)
        if locked.damages_invoice is None:
            _refuse(_("No damages were charged in this case."), "no_damages")
        return record_payment(
            account=locked.application.account,
            amount=amount,
            paid_on=paid_on,
            external_id=external_id,
            channel=channel,
            invoice=locked.damages_invoice,
            actor=actor,
        )


def close_case(*, removal, actor, note=""):
    """The case ends: after the acts, with damages paid and the supply restored."""
    with transaction.atomic():
        locked = _locked(removal)
        if not locked.acts.filter(kind=Act.Kind.NOTICE_OPINION).exists():
            _refuse(_("Draw up the notice and opinion before closing the case."), "close_before_act")
        if damages_unpaid(locked):
            _refuse(_("The damages are not paid yet."), "close_unpaid")
        if SupplySuspension.objects.filter(
            case_number=locked.application.number, tenant=locked.tenant, restored_at__isnull=True
        ).exists():
            _refuse(_("Restore the supply (saying what was done) before closing the case."), "close_suspended")
        clocks.enter_stage(application=locked.application, stage=StageCode.CLOSED, actor=actor)
        transition(application=locked.application, to_status=Status.EXECUTED, actor=actor, note=note)
    return locked


# -- attendance (§2.3) ---------------------------------------------------------------------------


def request_attendance(*, removal, user):
    with transaction.atomic():
        locked = _locked(removal)
        if locked.application.is_closed:
            _refuse(_("This case is closed."), "closed")
        if not locked.attendance_requested:
            locked.attendance_requested = True
            locked.save(update_fields=["attendance_requested"])
    return locked


def plan_appointment(*, removal, stage, planned_at, place, actor):
    """A stage's date and place; sent by SMS and e-mail when the consumer asked to attend."""
    from removals.models import Appointment

    place = (place or "").strip()
    if not place:
        _refuse(_("Enter the place."), "place_required")
    if planned_at <= timezone.now():
        _refuse(_("The appointment must be in the future: the consumer is told before it happens."), "past")
    with transaction.atomic():
        locked = _locked(removal)
        appointment, created = Appointment.objects.update_or_create(
            removal=locked, stage=stage, defaults={"tenant": locked.tenant, "planned_at": planned_at, "place": place}
        )
        if locked.attendance_requested:
            notices.notify_consumer(locked, template="removal_appointment", context={"appointment": appointment})
    return appointment


def record_attendance(*, appointment, attended):
    appointment.attended = attended
    appointment.save(update_fields=["attended"])
    return appointment


# -- the beat task -------------------------------------------------------------------------------


def notice_overdue_stages(today=None):
    """Tell each branch once of every W3 stage past its legal date (StageClock.overdue_noticed_on)
    and warn consumers of damages unpaid past their term. Returns the number of clocks noticed."""
    from portal.models import Tenant

    noticed = 0
    for tenant in Tenant.objects.all():
        day = today or tenant.today()
        late = list(
            StageClock.objects.filter(
                application__tenant=tenant,
                application__kind__code=METER_REMOVAL,
                finished_on__isnull=True,
                paused_since__isnull=True,
                due_on__lt=day,
                overdue_noticed_on__isnull=True,
            ).select_related("application", "application__branch", "application__meter_removal")
        )
        if not late:
            continue
        by_branch = {}
        for clock in late:
            by_branch.setdefault(clock.application.branch_id, []).append(clock)
        with transaction.atomic():
            for clock_rows in by_branch.values():
                first = clock_rows[0].application.meter_removal
                emails = notices.branch_staff_emails(tenant, clock_rows[0].application.branch)
                rows = [
                    (clock.application.number, STAGE_LABELS.get(clock.stage, clock.stage), clock.due_on)
                    for clock in clock_rows
                ]
                notices.notify_branch(first, template="removal_stage_overdue", context={"rows": rows}, emails=emails)
            StageClock.objects.filter(pk__in=[clock.pk for clock in late]).update(overdue_noticed_on=day)
            for clock in late:
                removal = clock.application.meter_removal
                if clock.stage == StageCode.DAMAGES and removal.damages_warned_on is None:
                    warn_unpaid_damages(removal=removal, today=day)
        noticed += len(late)
    return noticed
