"""W1: a citizen submits the readings of his meters; one application, one transaction."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from applications.services import open_application
from meters.holders import holder_as_seen_by
from meters.models import Meter
from meters.selectors import meter_summaries, normalize_serial
from portal.l10n import number
from portal.models import Notification
from portal.notifications import queue_notification
from readings.kinds import METER_READINGS
from readings.models import SubmittedReading
from readings.services.drafts import consume_drafts
from readings.services.review import send_to_on_site_check
from readings.services.supersession import lock_competing_applications, supersede_pending_lines


@dataclass
class ReadingLine:
    """One meter's line of the form, already parsed."""

    meter: Meter | None  # None: a factory number not registered on the account (checked on site)
    entered_serial: str
    value: Decimal
    reading_date: datetime.date
    entered_seal: str = ""
    photo: File | str | None = None  # an upload, or the stored name of the form's photo draft
    confirmed: bool = False
    photo_name: str = ""  # as the citizen's file was called


@dataclass
class LineAssessment:
    errors: dict = field(default_factory=dict)  # form field name -> [message]
    flags: list = field(default_factory=list)
    needs_confirmation: bool = False
    below_booked: bool = False
    plausible_range: tuple | None = None

    def add_error(self, name, message):
        self.errors.setdefault(name, []).append(message)


def assess_line(summary, *, value, reading_date, entered_seal, confirmed, has_photo, today):
    """Check one line against the meter's history; shared by the form and the service."""
    result = LineAssessment()
    last = {
        "value": number(summary.last_value),
        "date": date_format(summary.last_date, "SHORT_DATE_FORMAT"),
        "unit": summary.unit,
    }
    if reading_date is not None:
        if reading_date > today:
            result.add_error("reading_date", _("The reading date cannot be in the future."))
        elif reading_date < summary.last_date:
            message = (
                _("The reading date cannot be before the last accepted reading (%(date)s).")
                if summary.has_accepted_reading
                else _("The reading date cannot be before the meter was installed (%(date)s).")
            )
            result.add_error("reading_date", message % last)
    if value is None or reading_date is None or result.errors:
        return result

    if value < summary.last_value:
        # Not refused (issue #9, item 5): W1's source has a reading that contradicts the database
        # checked on site, and the inspector's reading prevails. The line is kept as entered and
        # the application goes to an on-site check when it is registered. Zero use (equal) is fine;
        # a replaced meter is its own row starting from its initial reading.
        result.flags.append(SubmittedReading.Flag.BELOW_BOOKED)
        result.below_booked = True
        _flag_for_staff(result, summary, entered_seal, today)
        return result

    low, high = summary.plausible_range(reading_date)
    result.plausible_range = (low, high)
    if value > high:
        if not confirmed:
            result.needs_confirmation = True
            result.add_error(
                "value",
                _(
                    "This reading is well above the usual consumption: the expected range is %(low)s – %(high)s "
                    "%(unit)s. Check the figures; if they are right, tick “My reading is correct” and attach a "
                    "photo of the meter."
                )
                % {"low": number(low), "high": number(high), "unit": summary.unit},
            )
        elif not has_photo:
            result.add_error("photo", _("Attach a photo of the meter to confirm an unusual reading."))
        else:
            result.flags += [SubmittedReading.Flag.IMPLAUSIBLE_JUMP, SubmittedReading.Flag.CONFIRMED_BY_CITIZEN]
    _flag_for_staff(result, summary, entered_seal, today)
    return result


def _flag_for_staff(result, summary, entered_seal, today):
    if entered_seal and normalize_serial(entered_seal) != normalize_serial(summary.meter.seal_number):
        # Not an error: the seal may have been renewed; staff decide.
        result.flags.append(SubmittedReading.Flag.SEAL_DIFFERS)
    if summary.meter.verification_expired(today):
        result.flags.append(SubmittedReading.Flag.VERIFICATION_EXPIRED)


def submit_readings(
    *, tenant, account, applicant, lines, contact_phone, contact_email, notes, idempotency_key, language
):
    """Register a readings application with its lines; the same ``idempotency_key`` returns the first one.

    The lines are checked again here against the history as it is inside the transaction (the
    form checked a snapshot), and the registration e-mail is written to the outbox in the same
    transaction, so the citizen is never told about an application that does not exist.

    Each line supersedes its meter's line still pending in another open application (see
    readings.services.supersession); the e-mail and the done page say which were replaced.
    """
    if not lines:
        raise ValidationError(_("Enter the reading of at least one meter."), code="no_lines")
    meter_ids = [line.meter.pk for line in lines if line.meter is not None]
    unlisted_serials = [normalize_serial(line.entered_serial) for line in lines if line.meter is None]
    if len(set(meter_ids)) != len(meter_ids) or len(set(unlisted_serials)) != len(unlisted_serials):
        raise ValidationError(_("Each meter may appear only once."), code="duplicate_meter")

    with transaction.atomic():
        application, created = open_application(
            tenant=tenant,
            kind_code=METER_READINGS,
            applicant=applicant,
            idempotency_key=idempotency_key,
            language=language,
            account=account,
            branch=account.branch,
            contact_phone=contact_phone,
            contact_email=contact_email,
            notes=notes,
        )
        if not created:
            return application

        lock_competing_applications(tenant=tenant, meter_ids=meter_ids, exclude=application)
        # The meter rows serialise this submission with the acceptances and other submissions of
        # the same meters (acceptance locks them too before comparing with the booked history).
        list(Meter.objects.for_tenant(tenant).select_for_update().filter(pk__in=meter_ids).order_by("pk"))
        today = tenant.today()
        meters = Meter.objects.for_tenant(tenant).filter(account=account, pk__in=meter_ids)
        created_lines = []
        summaries = {summary.meter.pk: summary for summary in meter_summaries(meters, today)}
        registered = {
            normalize_serial(serial)
            for serial in Meter.objects.for_tenant(tenant)
            .filter(account=account)
            .values_list("serial_number", flat=True)
        }
        for line in lines:
            if line.meter is None:
                created_lines.append(_unlisted_line(tenant, application, line, registered, today))
                continue
            summary = summaries.get(line.meter.pk)
            if summary is None:
                raise ValidationError(_("This meter does not belong to the subscriber account."), code="foreign_meter")
            assessment = assess_line(
                summary,
                value=line.value,
                reading_date=line.reading_date,
                entered_seal=line.entered_seal,
                confirmed=line.confirmed,
                has_photo=line.photo is not None,
                today=today,
            )
            if assessment.errors:
                raise ValidationError([str(m) for messages in assessment.errors.values() for m in messages])
            submitted = SubmittedReading.objects.create(
                tenant=tenant,
                application=application,
                meter=summary.meter,
                entered_serial=line.entered_serial.strip(),
                entered_seal=line.entered_seal.strip(),
                value=line.value,
                reading_date=line.reading_date,
                photo=line.photo,
                photo_name=line.photo_name[:100] if line.photo is not None else "",
                previous_value=summary.last_value if summary.has_accepted_reading else None,
                previous_date=summary.last_date if summary.has_accepted_reading else None,
                flags=[str(flag) for flag in assessment.flags],
            )
            created_lines.append(submitted)
        replaced = supersede_pending_lines(
            application=application,
            new_lines=[line for line in created_lines if line.meter_id is not None],
            applicant=applicant,
        )
        consume_drafts(tenant=tenant, user=applicant, form_key=application.idempotency_key)

        recipient = contact_email or applicant.email
        if recipient:
            queue_notification(
                tenant=tenant,
                channel=Notification.Channel.EMAIL,
                recipient=recipient,
                template="readings_registered",
                context={
                    "application": application,
                    "account": account,
                    # The contact e-mail is typed by the applicant, who need not hold the account.
                    "address": holder_as_seen_by(account, applicant, tenant)[1],
                    "applicant": applicant,
                    "replaced": replaced,
                    "url": tenant.absolute_url("applications:detail", number=application.number),
                },
                language=language,
                related=application,
            )
        below = [line for line in created_lines if SubmittedReading.Flag.BELOW_BOOKED in line.flags]
        unlisted = [line for line in created_lines if line.meter_id is None]
        if below or unlisted:
            # Both contradict the database, which W1's source has checked on site (issue #9, item 5).
            reasons = []
            with translation.override(language):
                if below:
                    reasons.append(
                        _("Reading below the last booked one, checked on site: %(meters)s.")
                        % {
                            "meters": "; ".join(
                                f"№{line.meter.serial_number} {line.value} < {summaries[line.meter.pk].last_value}"
                                for line in below
                            )
                        }
                    )
                if unlisted:
                    reasons.append(
                        _("Meter not registered on the account, checked on site and registered: %(meters)s.")
                        % {"meters": "; ".join(f"№{line.entered_serial} {line.value}" for line in unlisted)}
                    )
                reason = " ".join(str(r) for r in reasons)
            send_to_on_site_check(application=application, actor=None, reason=reason)
    return application


def _unlisted_line(tenant, application, line, registered, today):
    """A line whose factory number the account has no meter with: kept as entered, without a meter."""
    if normalize_serial(line.entered_serial) in registered:
        # The form matched it to a meter; a caller passing no meter for a known one is wrong.
        raise ValidationError(_("Each meter may appear only once."), code="duplicate_meter")
    if line.reading_date > today:
        raise ValidationError(_("The reading date cannot be in the future."), code="future_date")
    if line.photo is None:
        raise ValidationError(
            _("Attach a photo of the meter showing its factory number and the reading."), code="photo_required"
        )
    return SubmittedReading.objects.create(
        tenant=tenant,
        application=application,
        meter=None,
        entered_serial=line.entered_serial.strip(),
        entered_seal=line.entered_seal.strip(),
        value=line.value,
        reading_date=line.reading_date,
        photo=line.photo,
        photo_name=line.photo_name[:100],
        flags=[str(SubmittedReading.Flag.UNLISTED_METER)],
    )
