"""Sending outbox rows: the service behind portal.tasks.

``deliver_notification`` sends one pending row at most once per attempt and records the outcome
on the row, which stays the source of truth (attempts, last error, next attempt, sent time).
``due_notifications`` is the sweep's query. Celery itself is only a wake-up call.
"""

import logging
import mimetypes
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from portal.models import Notification
from portal.sms import send_sms

logger = logging.getLogger(__name__)

# A retry that arrives a little before its row's next_attempt_at (clocks, rounding) still runs.
EARLY_TOLERANCE = timedelta(seconds=5)


@dataclass(frozen=True)
class Outcome:
    """What happened to one delivery attempt; ``retry_in`` is set when another attempt is due."""

    status: str  # "sent", "skipped", "retry" or "failed"
    retry_in: int | None = None


def retry_delay(attempts):
    """Seconds to wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, ... capped at an hour."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS)


def send_email(notification):
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    private = storages["private"]
    for name in notification.attachments:
        with private.open(name, "rb") as handle:
            content = handle.read()
        filename = PurePosixPath(name).name
        message.attach(filename, content, mimetypes.guess_type(filename)[0] or "application/octet-stream")
    message.send(fail_silently=False)


def send_text_message(notification):
    send_sms(notification.recipient, notification.body)


SENDERS = {
    Notification.Channel.EMAIL: send_email,
    Notification.Channel.SMS: send_text_message,
}


def deliver_notification(notification_id, *, max_attempts=None):
    """Send one outbox row unless it is already done; record the result on the row.

    The row is locked (SELECT ... FOR UPDATE) for the whole attempt, so two workers that got the
    same id (an on_commit publish and a sweep, or a redelivered message) never both send it: the
    second waits for the lock and then sees ``sent``.

    At-least-once, not exactly-once: if the worker dies after the backend accepted the message but
    before the commit, the database rolls the attempt back, the row is still pending and the
    message is sent again (by the redelivered task, acks_late, or by the sweep). That window is
    the time between the backend's answer and COMMIT; closing it would need the gateway to
    deduplicate by our id.
    """
    max_attempts = max_attempts or settings.OUTBOX_MAX_ATTEMPTS
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Notification.Status.PENDING:
            return Outcome("skipped")
        now = timezone.now()
        if notification.next_attempt_at and notification.next_attempt_at > now + EARLY_TOLERANCE:
            # An older wake-up call for a row that has since failed and is waiting for its backoff.
            return Outcome("skipped")
        try:
            SENDERS[notification.channel](notification)
        except Exception as error:
            return _record_failure(notification, error, max_attempts)
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.last_error = ""
        notification.next_attempt_at = None
        notification.save(update_fields=["status", "sent_at", "attempts", "last_error", "next_attempt_at"])
    return Outcome("sent")


def _record_failure(notification, error, max_attempts):
    notification.attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    if notification.attempts >= max_attempts:
        notification.status = Notification.Status.FAILED
        notification.next_attempt_at = None
        outcome = Outcome("failed")
        logger.error("Notification %s failed for good: %s", notification.pk, notification.last_error)
    else:
        delay = retry_delay(notification.attempts)
        notification.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        outcome = Outcome("retry", retry_in=delay)
        logger.warning("Notification %s attempt %s failed: %s", notification.pk, notification.attempts, error)
    notification.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    return outcome


def due_notifications(*, grace_seconds=None, limit=500):
    """Ids of pending rows that their own publish should have sent by now, oldest first.

    Rows younger than the grace period are left to their on_commit publish; rows waiting for a
    retry are left until their next attempt is due.
    """
    if grace_seconds is None:
        grace_seconds = settings.OUTBOX_SWEEP_GRACE_SECONDS
    now = timezone.now()
    rows = (
        Notification.objects.filter(status=Notification.Status.PENDING)
        .filter(created_at__lte=now - timedelta(seconds=grace_seconds))
        .exclude(next_attempt_at__gt=now)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    return list(rows[:limit])


def resend_now(queryset):
    """Put failed rows back in the queue with a fresh attempt budget (the admin's action)."""
    ids = list(queryset.filter(status=Notification.Status.FAILED).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(status=Notification.Status.PENDING, attempts=0, next_attempt_at=None)
    from portal.notifications import publish_on_commit

    for pk in ids:
        publish_on_commit(pk)
    return len(ids)
