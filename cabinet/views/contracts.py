"""The legal-entity cabinet's core (W4, W5): home, linking contracts, my contracts, one contract's
data and its consumer information. A contract's pages get it from cabinet.access.contract_page,
which asks for the tenant and the user's membership in the same query."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from cabinet.access import cabinet_contracts, cabinet_menu, cabinet_view, contract_page, render_contract_page
from cabinet.forms.contracts import ContractLinkForm
from cabinet.models import ContractLink
from cabinet.services import linking as services
from cabinet.services.linking import current_link
from meters.models import Meter
from portal.access import require_download
from portal.clients import client_ip
from portal.files import extension_of, filename_part, private_file_response

REFUSALS_SHOWN_DAYS = 30


def _organizations(user):
    return Organization.objects.filter(memberships__user=user).order_by("name")


def _contracts(request):
    return cabinet_contracts(request.tenant, request.user).order_by("organization__name", "number")


def _open_requests(request):
    """Link requests still waiting, and refusals of the last weeks (else a refused request would
    simply vanish from the page)."""
    recent = timezone.now() - timedelta(days=REFUSALS_SHOWN_DAYS)
    return (
        ContractLink.objects.for_tenant(request.tenant)
        .filter(organization__memberships__user=request.user)
        .filter(Q(status=ContractLink.Status.PENDING) | Q(status=ContractLink.Status.REJECTED, decided_at__gte=recent))
        .select_related("contract", "organization")
        .order_by("-requested_at")
    )


@cabinet_view
def home(request):
    organizations = list(_organizations(request.user))
    contracts = [(contract, cabinet_menu(request.tenant, contract)) for contract in _contracts(request)]
    context = {
        "organizations": organizations,
        "contracts": contracts,
        "link_requests": list(_open_requests(request)) if organizations else [],
    }
    return render(request, "cabinet/home.html", context)


@cabinet_view
def link_contract(request):
    organizations = list(_organizations(request.user))
    if not organizations:
        return redirect("cabinet:home")
    form = ContractLinkForm(
        request.POST or None, organizations=_organizations(request.user), country_code=request.tenant.country_code
    )
    if request.method == "POST" and form.is_valid():
        try:
            link = services.request_contract_link(
                tenant=request.tenant,
                organization=form.cleaned_data["organization"],
                user=request.user,
                tax_number=form.cleaned_data["tax_number"],
                contract_number=form.cleaned_data["contract_number"],
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if link.status == ContractLink.Status.ACTIVE:
                messages.success(
                    request,
                    _("Request sent. Contract №%(number)s is linked: its sections are in the menu.")
                    % {"number": link.contract.number},
                )
            else:
                messages.success(
                    request,
                    _("Request sent. Contract №%(number)s will appear in the menu once %(tenant)s confirms the link.")
                    % {"number": link.contract.number, "tenant": request.tenant.local_name},
                )
            return redirect("cabinet:home")
    context = {"form": form, "organization": form.only_organization}
    return render(request, "cabinet/link_contract.html", context)


@cabinet_view
def contracts(request):
    return render(request, "cabinet/contracts.html", {"contracts": list(_contracts(request))})


@contract_page
def contract_remove(request, contract):
    if request.method == "POST":
        services.remove_contract_link(tenant=request.tenant, contract=contract, user=request.user)
        messages.success(
            request,
            _("Contract №%(number)s is removed from the cabinet. Its readings and requests are kept.")
            % {"number": contract.number},
        )
        return redirect("cabinet:contracts")
    return render_contract_page(request, contract, "cabinet/contract_remove.html")


@contract_page
def contract_detail(request, contract):
    meters = Meter.objects.order_by("serial_number")
    service_points = contract.service_points.prefetch_related(Prefetch("meters", queryset=meters))
    # Meters of the contract's account not yet placed at a connection point.
    unplaced = contract.account.meters.filter(service_point__isnull=True).order_by("serial_number")
    context = {"service_points": list(service_points), "unplaced_meters": list(unplaced)}
    return render_contract_page(request, contract, "cabinet/contract_detail.html", context)


@contract_page
def contract_document(request, contract):
    if not contract.document:
        raise Http404
    # contract_page found the contract through the user's organization membership: he holds it.
    require_download(request, tenant=request.tenant, branch=contract.account.branch_id, owned=True)
    filename = f"contract-{filename_part(contract.number)}{extension_of(contract.document, '.pdf')}"
    return private_file_response(contract.document, filename=filename)


@contract_page
def consumer_info(request, contract):
    organization = contract.organization
    members = organization.memberships.select_related("user").order_by("user__full_name")
    context = {"organization": organization, "members": list(members), "link": current_link(contract)}
    return render_contract_page(request, contract, "cabinet/consumer_info.html", context)
