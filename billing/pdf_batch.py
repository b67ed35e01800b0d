"""Invoice PDFs at scale (#12, goal 3): one renderer per worker process that parses the
stylesheet, loads the fonts and compiles the template once, and renders invoice after invoice.

WeasyPrint spends a good part of a small document on work that is the same for every invoice:
reading and parsing billing/invoice.css, building the font configuration, fetching the
stylesheet through our fetcher. ``InvoiceRenderer`` keeps a parsed ``CSS`` and a
``FontConfiguration`` for the life of the process and passes them to every ``write_pdf``; the
HTML is still our template rendered with autoescaping, and every URL in it still goes through
portal.pdf's static-only fetcher.

PDFs are rendered only where they are needed: on the first download of an invoice (then kept on
the invoice), for the result e-mail that attaches it, and for a company's monthly pack
(billing/packs.py). A billing run makes every invoice readable at once as an HTML page instead.
"""

import logging
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from portal import pdf

logger = logging.getLogger(__name__)

STYLESHEET = "billing/invoice_batch.css"
TEMPLATE = "billing/invoice_batch.html"


class InvoiceRenderer:
    def __init__(self):
        self.font_config = FontConfiguration()
        self.fetcher = pdf.StaticOnlyFetcher()
        path = finders.find(STYLESHEET) or pdf._in_static_root(STYLESHEET)
        self.stylesheet = CSS(
            string=Path(path).read_text(encoding="utf-8"),
            base_url=pdf.BASE_URL,
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )
        self.template = get_template(TEMPLATE)

    def html(self, invoice, extra_context=None):
        """The invoice's HTML in its language, without the stylesheet link (passed parsed)."""
        with translation.override(invoice.language):
            context = {**pdf.invoice_context(invoice), **(extra_context or {}), "stylesheet_passed": True}
            return self.template.render(context)

    def render(self, invoice, extra_context):
        """The PDF bytes of ``invoice``; ``extra_context`` is what billing.documents adds."""
        html = self.html(invoice, extra_context)
        tenant = invoice.tenant
        fetcher = pdf.StaticOnlyFetcher(allowed_media=[tenant.logo.name]) if tenant.logo else self.fetcher
        document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config)


@lru_cache(maxsize=1)
def renderer():
    """This process's renderer, built on first use (a Celery worker child, a web process)."""
    return InvoiceRenderer()
