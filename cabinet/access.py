"""Who may see what in the legal-entity cabinet (W4, W5).

A contract is visible to the members of the organization it is linked to, in its tenant, and to
nobody else. Every page about one contract is a ``contract_page``: the contract is fetched once,
with the tenant and the user's membership in the same query, and its child rows are reached
through it (they are not scoped again: the foreign key already confines them).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meters.models import Contract
from portal.models import Workflow
from portal.scoping import get_scoped_or_404

CABINET_WORKFLOWS = (Workflow.LEGAL_CABINET, Workflow.CONTRACT_CABINET)


def cabinet_contracts(tenant, user):
    """The tenant's contracts linked to an organization the user is a member of."""
    return (
        Contract.objects.for_tenant(tenant)
        .filter(organization__memberships__user=user)
        .select_related("organization", "account")
    )


def contract_for_member_or_404(tenant, user, contract_id):
    """The contract with what its pages read (its tenant, organization, account and branch), in
    one query; 404 for another tenant's contract or one of an organization the user is not in."""
    return get_scoped_or_404(
        Contract.objects.select_related("tenant", "organization", "account", "account__tenant", "account__branch"),
        tenant,
        pk=contract_id,
        organization__memberships__user=user,
    )


def cabinet_view(view):
    """A cabinet page: logged in, on a tenant that offers a legal-entity cabinet."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        tenant = getattr(request, "tenant", None)
        if tenant is None or not any(tenant.offers(workflow) for workflow in CABINET_WORKFLOWS):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def contract_page(view):
    """A cabinet page about one contract (``contracts/<contract_id>/…``): a ``cabinet_view`` that
    resolves ``contract_id`` once and calls ``view(request, contract, …)``. The contract's menu is
    built here too, as ``request.cabinet_menu``, for ``render_contract_page``."""

    @cabinet_view
    @wraps(view)
    def wrapper(request, contract_id, *args, **kwargs):
        contract = contract_for_member_or_404(request.tenant, request.user, contract_id)
        request.cabinet_menu = cabinet_menu(request.tenant, contract)
        return view(request, contract, *args, **kwargs)

    return wrapper


def render_contract_page(request, contract, template, context=None, *, status=200):
    """Render a ``contract_page`` inside the cabinet layout (the contract and its menu)."""
    context = {"contract": contract, "cabinet_menu": request.cabinet_menu, **(context or {})}
    return render(request, template, context, status=status)


def cabinet_menu(tenant, contract):
    """The cabinet's sections for one contract, as (label, url, url_name); W5 tenants
    (Izhvodokanal) and W4 tenants (Uzbekenergo) offer different sections."""
    common = [
        (_("Consumer information"), "cabinet:consumer_info"),
        (_("Contract"), "cabinet:contract_detail"),
    ]
    w5 = [
        (_("Cold-water readings"), "cabinet:readings"),
        (_("Hot-water volumes"), "cabinet:hot_water"),
        (_("Readings archive"), "cabinet:archive"),
    ]
    w4 = [
        (_("Meter readings"), "cabinet:readings"),
        (_("Billing history"), "cabinet:billing_history"),
        (_("Payments received"), "cabinet:payments"),
        (_("Current month"), "cabinet:current_month"),
        (_("Monthly report"), "cabinet:report"),
        (_("Employee lists"), "cabinet:employee_lists"),
        (_("Limit change"), "cabinet:limit_change"),
        (_("Applications and claims"), "cabinet:requests"),
    ]
    entries = list(common)
    if tenant.offers(Workflow.CONTRACT_CABINET):
        entries += w5
    if tenant.offers(Workflow.LEGAL_CABINET):
        entries += [entry for entry in w4 if entry[1] not in {name for _label, name in entries}]
    return [(label, reverse(name, kwargs={"contract_id": contract.pk}), name) for label, name in entries]
