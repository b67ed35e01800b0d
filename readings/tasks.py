"""Celery tasks of W1: thin wrappers over readings.services."""

from celery import shared_task

from readings.services.drafts import purge_stale_drafts


@shared_task
def purge_stale_photo_drafts():
    """Beat task: remove the photos of readings forms left unsent (idempotent)."""
    return purge_stale_drafts()
