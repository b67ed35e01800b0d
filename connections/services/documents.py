"""The technical-conditions PDF: our template, rendered by WeasyPrint with portal.pdf's fetcher
(our static files only), stored privately under a server-chosen name and attached to the
application."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from applications.models import Attachment
from connections.models import ConnectionRequest
from portal import pdf

TEMPLATE = "connections/conditions_pdf.html"


def conditions_pdf_bytes(request):
    application = request.application
    tenant = application.tenant
    context = {
        "connection": request,
        "application": application,
        "tenant": tenant,
        "details": getattr(application.applicant, "personal_details", None),
        "logo_url": f"{settings.MEDIA_URL}{tenant.logo.name}" if tenant.logo else "",
    }
    with translation.override(application.language):
        html = render_to_string(TEMPLATE, context)
        fetcher = pdf.StaticOnlyFetcher(allowed_media=[tenant.logo.name] if tenant.logo else [])
        return HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher).write_pdf()


def file_name(request):
    return f"{request.application.number}-technical-conditions.pdf"


def store_conditions_pdf(request_id):
    """Render and attach the PDF unless it is there: safe to run twice (a retry, the sweep).
    Returns True when it rendered now."""
    with transaction.atomic():
        request = (
            ConnectionRequest.objects.select_for_update(of=("self",))
            .select_related("application", "application__tenant", "application__applicant", "district")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.conditions_pdf or not request.conditions_issued_on:
            return False
        content = conditions_pdf_bytes(request)
        tenant = request.application.tenant
        request.conditions_pdf.save(f"{tenant.slug}/{file_name(request)}", ContentFile(content), save=False)
        request.save(update_fields=["conditions_pdf"])
        Attachment.objects.create(
            application=request.application, file=request.conditions_pdf.name, original_name=file_name(request)
        )
    return True
