"""The invoice PDF: our template rendered by WeasyPrint with a fetcher that reads only our files.

WeasyPrint would otherwise fetch any URL the HTML names (http://, file:///etc/passwd, an
internal address). Our template is the only HTML it sees and user text in it is autoescaped, but
the fetcher is the second wall: it serves files under STATIC_URL from the static files (and the
tenant's own logo from media storage) and refuses everything else. The one exception is an
image the caller put inline as a ``data:image/png;base64,`` URI (the payment QR code): it is
decoded here, in the process, and never fetched.
"""

import base64
import binascii
import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in the template resolve against this base; it never leaves the process.
BASE_URL = "https://abonent.invalid/"
INLINE_PNG = "data:image/png;base64,"


class RefusedURL(ValueError):
    pass


def _safe_name(path, prefix):
    """The file name under ``prefix``, or None when the path tries to climb out of it."""
    if not path.startswith(prefix):
        return None
    name = posixpath.normpath(unquote(path[len(prefix) :]))
    if name.startswith(("/", "..")) or name in (".", ""):
        return None
    return name


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/... from our static files and the listed media files; refuses the rest."""

    def __init__(self, *, allowed_media=()):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.allowed_media = {name for name in allowed_media if name}

    def fetch(self, url, headers=None):
        if url.startswith(INLINE_PNG):
            try:
                content = base64.b64decode(url[len(INLINE_PNG) :], validate=True)
            except binascii.Error as error:
                raise RefusedURL("Refused an inline image that is not base64") from error
            return URLFetcherResponse(url, content, {"Content-Type": "image/png"})
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or parts.query:
            raise RefusedURL(f"Refused to fetch {url!r}: only our static files are allowed")
        static_name = _safe_name(parts.path, settings.STATIC_URL)
        if static_name is not None:
            path = finders.find(static_name) or _in_static_root(static_name)
            if path:
                return self._file_response(url, Path(path))
        media_name = _safe_name(parts.path, settings.MEDIA_URL)
        if media_name is not None and media_name in self.allowed_media:
            with default_storage.open(media_name, "rb") as handle:
                return URLFetcherResponse(url, handle.read(), {"Content-Type": _mime(media_name)})
        raise RefusedURL(f"Refused to fetch {url!r}: not one of our static files")

    @staticmethod
    def _file_response(url, path):
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path.name)})


def _in_static_root(name):
    path = (Path(settings.STATIC_ROOT) / name).resolve()
    root = Path(settings.STATIC_ROOT).resolve()
    return str(path) if path.is_file() and root in path.parents else None


def _mime(name):
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def invoice_context(invoice):
    tenant = invoice.tenant
    account = invoice.account
    return {
        "invoice": invoice,
        "tenant": tenant,
        "account": account,
        "lines": list(invoice.lines.select_related("meter")),
        "logo_url": f"{settings.MEDIA_URL}{tenant.logo.name}" if tenant.logo else "",
    }


def render_invoice_pdf_bytes(invoice, extra_context=None):
    """The PDF of ``invoice`` in its language, with its tenant's branding.

    ``extra_context`` is what the billing layer adds (the payment QR code); it is built by the
    caller because this layer knows nothing of payment standards.
    """
    with translation.override(invoice.language):
        html = render_to_string("billing/invoice_pdf.html", {**invoice_context(invoice), **(extra_context or {})})
        fetcher = StaticOnlyFetcher(allowed_media=[invoice.tenant.logo.name] if invoice.tenant.logo else [])
        return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def store_invoice_pdf(invoice, extra_context=None):
    """Render and save the PDF under a server-chosen name in private storage.

    The name is the invoice number (the file name the citizen gets attached to his e-mail) in a
    folder of the tenant, so two tenants' files never collide even for numbers issued before
    each tenant had a prefix of its own (storage would otherwise add a random suffix).
    """
    content = render_invoice_pdf_bytes(invoice, extra_context)
    invoice.pdf.save(f"{invoice.tenant.slug}/{invoice.number}.pdf", ContentFile(content), save=False)
    invoice.save(update_fields=["pdf"])
    return invoice.pdf.name
