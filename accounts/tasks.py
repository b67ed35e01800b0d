"""Celery tasks of the accounts app: thin wrappers over accounts.services."""

from celery import shared_task
from django.db import transaction


@shared_task(acks_late=True)
def send_password_reset(email, tenant_id, language, origin, prefix):
    """Look the address up and queue its reset message. Run twice, it sends a second link, as a
    second press of the button would; the per-recipient limit was counted by the request."""
    from accounts.services.password_reset import send_password_reset as send

    with transaction.atomic():
        return len(send(email=email, tenant_id=tenant_id, language=language, origin=origin, prefix=prefix))
