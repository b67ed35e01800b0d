"""The citizen's billing pages: his accounts, one account, and invoice downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.models import PersonalDetails
from billing import selectors
from billing.forms import AddAccountForm
from billing.models import Invoice
from meters.holders import add_account_by_access_code, link_by_verified_number
from portal.access import require_download
from portal.clients import client_ip
from portal.decorators import tenant_required
from portal.files import private_file_response
from portal.scoping import get_scoped_or_404


@login_required
@tenant_required()
def my_accounts(request):
    # Accounts the utility recorded with the number his state login verified appear at once.
    details = PersonalDetails.objects.filter(user=request.user).first()
    link_by_verified_number(tenant=request.tenant, user=request.user, details=details)
    accounts = selectors.accounts_of(request.user, request.tenant)
    return render(request, "billing/my_accounts.html", {"accounts": accounts})


@never_cache
@login_required
@tenant_required()
def add_account(request):
    """Prove holding an account with its subscriber code and the access code of its invoices."""
    form = AddAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = add_account_by_access_code(
                tenant=request.tenant,
                user=request.user,
                code=form.cleaned_data["code"],
                access_code=form.cleaned_data["access_code"],
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Account %(code)s is added to your profile.") % {"code": account.code})
            return redirect("billing:account_detail", code=account.code)
    return render(request, "billing/add_account.html", {"form": form})


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
    invoice = get_scoped_or_404(Invoice.objects.select_related("account"), request.tenant, number=number)
    owned = selectors.invoices_owned_by(request.user, request.tenant).filter(pk=invoice.pk).exists()
    # Before the "being prepared" page too: a stranger must not learn that the number exists.
    require_download(request, tenant=request.tenant, branch=invoice.account.branch_id, owned=owned)
    if not invoice.pdf:
        # Rendered by a task right after acceptance; a few seconds' wait is not a missing file.
        return render(request, "billing/invoice_preparing.html", {"invoice": invoice})
    return private_file_response(invoice.pdf, filename=f"{invoice.number}.pdf", content_type="application/pdf")
