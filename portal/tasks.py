"""Celery tasks of the outbox: thin wrappers over portal.delivery."""

import logging

from celery import shared_task
from django.conf import settings

from portal.delivery import deliver_notification, due_notifications

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


@shared_task(bind=True, max_retries=settings.OUTBOX_MAX_ATTEMPTS, acks_late=True)
def send_notification(self, notification_id):
    """Send one outbox row; safe to run any number of times (see deliver_notification)."""
    outcome = deliver_notification(notification_id)
    if outcome.status != "retry":
        return outcome.status
    if self.request.is_eager:
        # Eager mode (the embedded default) would run the retry at once, in the user's request,
        # ignoring the countdown. The row keeps its next_attempt_at; the sweep retries it.
        return outcome.status
    # The attempt is committed before retry() raises, so a lost retry message only delays the
    # row: the sweep publishes it again once next_attempt_at has passed.
    raise self.retry(countdown=outcome.retry_in, max_retries=settings.OUTBOX_MAX_ATTEMPTS)


@shared_task
def sweep_pending_notifications(grace_seconds=None):
    """Beat task: publish every pending row whose own publish was lost (e.g. a broker outage)."""
    from portal.notifications import publish

    ids = due_notifications(grace_seconds=grace_seconds, limit=SWEEP_BATCH)
    for notification_id in ids:
        publish(notification_id)
    if ids:
        logger.info("Sweep published %s pending notifications", len(ids))
    return len(ids)
