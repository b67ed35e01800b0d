"""Celery tasks of W3: thin, idempotent wrappers over the services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from portal.documents import render_pdf_bytes, store_pdf_once

logger = logging.getLogger(__name__)

SWEEP_GRACE = timedelta(minutes=2)


def render_act(act_id):
    """Render the act's PDF unless it has one; the row is locked, so two runs render once."""
    from removals.acts import case_facts
    from removals.models import Act

    with transaction.atomic():
        act = (
            Act.objects.select_for_update(of=("self",))
            .select_related(
                "tenant",
                "removal",
                "removal__meter",
                "removal__application",
                "removal__application__account",
                "removal__application__branch",
                "removal__damages_invoice",
            )
            .filter(pk=act_id)
            .first()
        )
        if act is None:
            return "missing"
        tenant = act.tenant

        def render():
            from django.utils import translation

            with translation.override(act.language):
                facts = case_facts(act.removal)
            context = {
                "act": act,
                "tenant": tenant,
                "removal": act.removal,
                "facts": facts,
                "logo_url": f"/media/{tenant.logo.name}" if tenant.logo else "",
            }
            return render_pdf_bytes("removals/act_pdf.html", context, language=act.language, tenant=tenant)

        stored = store_pdf_once(act, "pdf", name=f"{tenant.slug}/{act.number}.pdf", render=render)
    return "rendered" if stored else "exists"


@shared_task(bind=True, max_retries=5, acks_late=True)
def render_act_pdf(self, act_id):
    try:
        return render_act(act_id)
    except Exception as error:
        logger.exception("Rendering the PDF of act %s failed", act_id)
        if self.request.is_eager:
            return "failed"
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task
def render_missing_act_pdfs():
    """Beat task: queue the acts whose own render task was lost."""
    from portal.queue import publish
    from removals.models import Act

    ids = list(
        Act.objects.filter(pdf="", created_at__lte=timezone.now() - SWEEP_GRACE).values_list("pk", flat=True)[:200]
    )
    for act_id in ids:
        publish(render_act_pdf, act_id, if_down="the next sweep will render it")
    return len(ids)


@shared_task
def notice_overdue_stages():
    """Beat task: each late stage is reported to its branch once; unpaid damages warned."""
    from removals.services import notice_overdue_stages as notice

    return notice()
