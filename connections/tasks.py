"""Celery tasks of W2: thin, idempotent wrappers over connections.services."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, acks_late=True)
def render_conditions_pdf(self, request_id):
    """Render the technical-conditions PDF of a request once (the row lock serialises retries)."""
    from connections.services.documents import store_conditions_pdf

    try:
        return "rendered" if store_conditions_pdf(request_id) else "already"
    except Exception as error:
        logger.exception("Rendering the technical conditions of request %s failed", request_id)
        if self.request.is_eager:
            return "failed"  # in-process: the sweep renders it later rather than retrying in the request
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task
def render_missing_conditions_pdfs():
    """Beat task: technical conditions issued whose PDF task was lost (broker down)."""
    from connections.models import ConnectionRequest
    from portal.queue import publish

    ids = list(
        ConnectionRequest.objects.filter(conditions_issued_on__isnull=False, conditions_pdf="").values_list(
            "pk", flat=True
        )[:200]
    )
    for request_id in ids:
        publish(render_conditions_pdf, request_id, if_down="the next sweep renders it")
    return len(ids)
