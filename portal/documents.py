"""Documents other than invoices (W3's acts, W2's conditions): one of our templates rendered to a
PDF by WeasyPrint behind the static-only fetcher of portal.pdf, and stored once in private storage.
"""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from portal.pdf import BASE_URL, StaticOnlyFetcher


def render_pdf_bytes(template_name, context, *, language, tenant=None):
    """``template_name`` rendered with ``context`` in ``language`` as PDF bytes; the tenant's logo
    is the only media file the fetcher may read."""
    allowed = [tenant.logo.name] if tenant is not None and tenant.logo else []
    with translation.override(language):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(allowed_media=allowed)).write_pdf()


def store_pdf_once(instance, field_name, *, name, render):
    """Save ``render()`` (bytes) into ``instance.<field_name>`` under ``name`` unless a file is
    already there: a task run twice renders once. The caller holds the row lock."""
    field = getattr(instance, field_name)
    if field:
        return False
    field.save(name, ContentFile(render()), save=False)
    instance.save(update_fields=[field_name])
    return True
