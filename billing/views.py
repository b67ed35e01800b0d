"""The citizen's billing pages: his accounts, one account, and invoice downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.models import Organization, PersonalDetails
from billing import packs, selectors
from billing.documents import ensure_invoice_pdf, invoice_pdf_extras
from billing.forms import AddAccountForm
from billing.models import Invoice
from billing.selectors_cabinet import parse_period
from meters.holders import add_account_by_access_code, link_by_verified_number
from meters.models import Contract
from portal.access import require_download
from portal.clients import client_ip
from portal.decorators import tenant_required
from portal.files import private_file_response
from portal.pdf import invoice_context
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


def _owned_invoice_or_404(request, number):
    """The invoice ``number`` of the request's tenant, if the user holds it or is staff of its
    branch (portal.access); a stranger gets the same 404 as for a number that does not exist."""
    invoice = get_scoped_or_404(
        Invoice.objects.select_related("tenant", "account", "account__branch", "application"),
        request.tenant,
        number=number,
    )
    owned = selectors.invoices_owned_by(request.user, request.tenant).filter(pk=invoice.pk).exists()
    require_download(request, tenant=request.tenant, branch=invoice.account.branch_id, owned=owned)
    return invoice


@never_cache
@login_required
@tenant_required()
def invoice_pdf(request, number):
    # Before the "being prepared" page too: a stranger must not learn that the number exists.
    invoice = _owned_invoice_or_404(request, number)
    if not invoice.pdf:
        # A billing run's invoice has no PDF until someone wants it (#12, goal 3): rendered on
        # the first download and kept. An application's invoice may be rendering in its task
        # right now: the row lock makes this wait for it instead of rendering twice.
        invoice = ensure_invoice_pdf(invoice.pk) or invoice
    if not invoice.pdf:
        return render(request, "billing/invoice_preparing.html", {"invoice": invoice})
    return private_file_response(invoice.pdf, filename=f"{invoice.number}.pdf", content_type="application/pdf")


@login_required
@tenant_required()
def invoice_page(request, number):
    """The invoice as a web page, from the same rows and template body as its PDF: readable the
    moment a billing run has formed it, without waiting for a PDF."""
    invoice = _owned_invoice_or_404(request, number)
    context = {**invoice_context(invoice), **invoice_pdf_extras(invoice)}
    return render(request, "billing/invoice_page.html", context)


@never_cache
@login_required
@tenant_required()
def invoice_pack(request, organization_id, period):
    """A company's invoices for a month in one PDF, for its members (the cabinet's billing history)."""
    # A member, and the organization has a contract with this tenant: one query, one 404 otherwise.
    contracts_here = Contract.objects.for_tenant(request.tenant).filter(organization_id=OuterRef("pk"))
    organization = get_object_or_404(
        Organization.objects.filter(Exists(contracts_here), memberships__user=request.user), pk=organization_id
    )
    month = parse_period(period)
    if month is None:
        raise Http404
    pack, invoice_ids, current = packs.current_pack(tenant=request.tenant, organization=organization, period=month)
    context = {"organization": organization, "month": month, "count": len(invoice_ids)}
    if not invoice_ids:
        return render(request, "billing/invoice_pack.html", {**context, "empty": True})
    if current:
        return private_file_response(pack.pdf, filename=f"invoices-{month:%Y-%m}.pdf", content_type="application/pdf")
    packs.request_pack(tenant=request.tenant, organization=organization, period=month)
    return render(request, "billing/invoice_pack.html", {**context, "preparing": True})
