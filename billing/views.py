"""The citizen's billing pages: his accounts, one account, and invoice downloads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from billing import selectors
from portal.decorators import tenant_required
from portal.files import private_file_response
from portal.scoping import get_scoped_or_404


@login_required
@tenant_required()
def my_accounts(request):
    accounts = selectors.accounts_of(request.user, request.tenant)
    return render(request, "billing/my_accounts.html", {"accounts": accounts})


@login_required
@tenant_required()
def account_detail(request, code):
    # Tenant, code and the user's access in one query: another's account is simply not found.
    account = get_scoped_or_404(
        selectors.accounts_of(request.user, request.tenant).select_related("tenant"), request.tenant, code=code
    )
    return render(request, "billing/account_detail.html", {"page": selectors.account_page(account)})


@never_cache
@login_required
@tenant_required()
def invoice_pdf(request, number):
    invoices = selectors.invoices_visible_to(request.user, request.tenant).select_related("account")
    invoice = get_scoped_or_404(invoices, request.tenant, number=number)
    if not invoice.pdf:
        # Rendered by a task right after acceptance; a few seconds' wait is not a missing file.
        return render(request, "billing/invoice_preparing.html", {"invoice": invoice})
    return private_file_response(invoice.pdf, filename=f"{invoice.number}.pdf", content_type="application/pdf")
