"""The application workflow: the only code that creates applications and changes their status.

Every change locks the application row, checks the transition against ``TRANSITIONS`` and writes
an ``ApplicationEvent``, so the timeline is complete by construction. Notifications to the
applicant go through the outbox in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import clocks, kinds
from applications.models import (
    CLOSED,
    REASON_REQUIRED,
    TRANSITIONS,
    Application,
    ApplicationEvent,
    ApplicationKind,
    Attachment,
    NumberSequence,
    Status,
)
from portal.models import Notification
from portal.notifications import queue_notification

# Statuses the applicant is told about by e-mail (and SMS when he left a phone number).
NOTIFIED_STATUSES = {Status.REJECTED, Status.WAITING_FOR_APPLICANT, Status.EXECUTED}


def kind_for(tenant, code):
    """The tenant's application kind ``code``, created with its registered default term if staff
    have not set it up yet (staff then set the real term in the admin): refusing the citizen
    instead would turn a missing admin setting into a lost submission.

    Raises ``kinds.UnknownKind`` (a ValueError) for a code no workflow app registered.
    """
    registered = kinds.get(code)
    kind, _created = ApplicationKind.objects.for_tenant(tenant).get_or_create(
        code=code,
        defaults={"tenant": tenant, "name": str(registered.label), "due_working_days": registered.default_term},
    )
    if not kind.is_active:
        raise ValidationError(_("Applications of this kind are not accepted at the moment."), code="kind_inactive")
    return kind


def next_number(tenant, year):
    """Issue the next number of ``tenant`` and ``year``; the caller's transaction holds the row lock.

    The lock serialises concurrent submissions of one tenant and year, and a rollback of the
    caller's transaction also rolls back the increment, so numbers have no gaps.
    """
    sequence, _created = NumberSequence.objects.get_or_create(tenant=tenant, year=year)
    sequence = NumberSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{tenant.application_prefix}-{year}-{sequence.last_value:06d}"


def open_application(
    *,
    tenant,
    kind_code,
    applicant,
    idempotency_key,
    language,
    account=None,
    organization=None,
    branch=None,
    contact_phone="",
    contact_email="",
    notes="",
):
    """Register an application; returns ``(application, created)``.

    Call it inside the transaction that writes the application's own lines (readings, documents):
    it joins that transaction, so a failure later rolls the number back too. The same
    ``idempotency_key`` from the same applicant returns the first application, even when two
    requests race.
    """
    existing = Application.objects.for_tenant(tenant).filter(applicant=applicant, idempotency_key=idempotency_key)
    with transaction.atomic():
        application = existing.first()
        if application is not None:
            return application, False
        kind = kind_for(tenant, kind_code)
        branch = branch or (account.branch if account is not None else None)
        today = tenant.today()
        try:
            with transaction.atomic():
                # The second of two racing requests waits here for the first one's commit ...
                number = next_number(tenant, today.year)
                application = Application.objects.create(
                    tenant=tenant,
                    number=number,
                    kind=kind,
                    applicant=applicant,
                    organization=organization,
                    account=account,
                    branch=branch,
                    contact_phone=contact_phone,
                    contact_email=contact_email,
                    notes=notes,
                    language=language,
                    idempotency_key=idempotency_key,
                    due_on=kinds.get(kind.code).due_on(tenant=tenant, kind=kind, branch=branch, start=today),
                )
        except IntegrityError:
            # ... and then collides with its committed application: return that one (the savepoint
            # has undone our increment, so no number is lost).
            application = existing.first()
            if application is None:
                raise
            return application, False
        ApplicationEvent.objects.create(
            application=application, actor=applicant, kind=ApplicationEvent.Kind.STATUS, to_status=Status.SUBMITTED
        )
    return application, True


def start_term(*, application, start):
    """Count the term again from ``start``: for kinds whose term runs from a later event than the
    submission (``Kind.term_starts``), called by their workflow when that event happens."""
    with transaction.atomic():
        locked = _locked(application)
        locked.due_on = kinds.get(locked.kind.code).due_on(
            tenant=locked.tenant, kind=locked.kind, branch=locked.branch, start=start
        )
        locked.save(update_fields=["due_on"])
    application.due_on = locked.due_on
    return locked


def confirm(*, application, actor):
    """The staff's "confirm": execute the application and apply what its kind asks for."""
    registered = kinds.get(application.kind.code)
    if registered.confirm is None:
        raise ValidationError(_("This kind of application is not confirmed this way."), code="not_confirmable")
    return registered.confirm(application=application, actor=actor)


def _locked(application):
    return Application.objects.select_for_update().select_related("tenant", "kind", "applicant").get(pk=application.pk)


def can_transition(application, to_status):
    return to_status in TRANSITIONS[Status(application.status)]


def transition(*, application, to_status, actor, note="", notify=True):
    """Move ``application`` to ``to_status``; raises ValidationError for a transition the workflow forbids.

    ``notify=False`` is for callers that send their own message (W1 mails the invoice on execution).
    Returns the updated application; the instance passed in is updated as well.
    """
    to_status = Status(to_status)
    note = (note or "").strip()
    with transaction.atomic():
        locked = _locked(application)
        from_status = Status(locked.status)
        if not can_transition(locked, to_status):
            raise ValidationError(
                _("An application cannot go from “%(from)s” to “%(to)s”."),
                code="transition_not_allowed",
                params={"from": from_status.label, "to": to_status.label},
            )
        if to_status in REASON_REQUIRED and not note:
            raise ValidationError(
                _("Give a reason the applicant can read for “%(to)s”."),
                code="reason_required",
                params={"to": to_status.label},
            )
        locked.status = to_status
        if to_status in CLOSED:
            locked.closed_at = timezone.now()
        if to_status in (Status.REJECTED, Status.WAITING_FOR_APPLICANT):
            locked.decision_reason = note
        locked.save(update_fields=["status", "closed_at", "decision_reason"])
        _move_clocks(locked, from_status, to_status)
        ApplicationEvent.objects.create(
            application=locked,
            actor=actor,
            kind=ApplicationEvent.Kind.STATUS,
            from_status=from_status,
            to_status=to_status,
            note=note,
        )
        if notify and to_status in NOTIFIED_STATUSES:
            notify_status_changed(locked)
    application.status, application.closed_at = locked.status, locked.closed_at
    application.decision_reason = locked.decision_reason
    return locked


def _move_clocks(application, from_status, to_status):
    """The stage clock follows the status: paused while waiting for the applicant, resumed (later
    by the days spent waiting) when the application moves on, stopped when it closes."""
    registered = kinds.find(application.kind.code)
    if registered is None or not registered.stages:
        return
    if to_status == Status.WAITING_FOR_APPLICANT:
        clocks.pause(application)
    elif from_status == Status.WAITING_FOR_APPLICANT:
        due_on = clocks.resume(application)
        if due_on is not None:
            application.due_on = due_on
            application.save(update_fields=["due_on"])
    if to_status in CLOSED:
        clocks.stop(application)


def notify_status_changed(application):
    """E-mail (and SMS to the phone he left) the applicant, in the language he applied in."""
    context = {
        "status": Status(application.status).label,
        "reason": application.decision_reason,
    }
    notify_applicant(application, template="application_status_changed", context=context)


def notify_applicant(application, *, template, context):
    """Queue ``template`` to the applicant through the outbox: e-mail to the address he left (or
    his account's), SMS to the phone he left, in the language he applied in. ``context`` gets the
    application and the link to its page."""
    tenant = application.tenant
    context = {
        "application": application,
        "url": tenant.absolute_url("applications:detail", number=application.number),
        **context,
    }
    recipients = [(Notification.Channel.EMAIL, application.contact_email or application.applicant.email)]
    if application.contact_phone:
        recipients.append((Notification.Channel.SMS, application.contact_phone))
    for channel, recipient in recipients:
        if recipient:
            queue_notification(
                tenant=tenant,
                channel=channel,
                recipient=recipient,
                template=template,
                context=context,
                language=application.language,
                related=application,
            )


def assign(*, application, assignee, actor):
    """Give the application to ``assignee`` (None: unassign); an internal event staff see."""
    with transaction.atomic():
        locked = _locked(application)
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        ApplicationEvent.objects.create(
            application=locked,
            actor=actor,
            kind=ApplicationEvent.Kind.ASSIGNMENT,
            note=assignee.get_full_name() if assignee is not None else "",
            public=False,
        )
    application.assigned_to = assignee
    return locked


def add_comment(*, application, actor, note, public):
    """A note on the timeline; ``public`` ones are shown to the applicant."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write the comment."), code="empty_comment")
    return ApplicationEvent.objects.create(
        application=application, actor=actor, kind=ApplicationEvent.Kind.COMMENT, note=note, public=public
    )


def can_answer(application, user):
    return application.applicant_id == user.pk and application.status == Status.WAITING_FOR_APPLICANT


def answer(*, application, actor, note, document=None):
    """The applicant answers the utility's question: his answer (and a document, already checked
    and re-encoded: ``(content, original name)``) goes on the timeline and the application returns
    to review, which restarts its stage clock later by the days spent waiting."""
    if application.applicant_id != actor.pk:
        raise ValidationError(_("Only the applicant can answer."), code="not_applicant")
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != Status.WAITING_FOR_APPLICANT:
            raise ValidationError(_("This application is not waiting for an answer."), code="not_waiting")
        add_comment(application=locked, actor=actor, note=note, public=True)
        if document is not None:
            content, original_name = document
            attachment = Attachment(application=locked, original_name=original_name[:200], uploaded_by=actor)
            attachment.file.save(content.name, content, save=False)
            attachment.save()
        return transition(application=application, to_status=Status.IN_REVIEW, actor=actor, notify=False)


def can_withdraw(application, user):
    return application.applicant_id == user.pk and can_transition(application, Status.WITHDRAWN)


def withdraw(*, application, actor):
    """The applicant takes his application back while the workflow still allows it."""
    if application.applicant_id != actor.pk:
        raise ValidationError(_("Only the applicant can withdraw an application."), code="not_applicant")
    if not can_transition(application, Status.WITHDRAWN):
        raise ValidationError(_("This application can no longer be withdrawn."), code="withdraw_not_allowed")
    kind = kinds.find(application.kind.code)
    with transaction.atomic():
        withdrawn = transition(application=application, to_status=Status.WITHDRAWN, actor=actor, notify=False)
        if kind is not None and kind.on_withdraw is not None:
            kind.on_withdraw(application=withdrawn)
    return withdrawn
