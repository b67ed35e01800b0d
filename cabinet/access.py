"""Who may see what in the legal-entity cabinet (W4, W5).

A contract is visible to the members of the organization it is linked to, in its tenant, and to
nobody else. Every cabinet page reaches contracts through these two functions.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

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
    return get_scoped_or_404(
        Contract.objects.select_related("organization", "account", "account__branch"),
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


def cabinet_menu(tenant, contract):
    """The cabinet's sections for one contract, as (label, url, url_name); W5 tenants
    (Izhvodokanal) and W4 tenants (Uzbekenergo) offer different sections. A section whose page
    is not installed is left out."""
    from django.urls import NoReverseMatch, reverse
    from django.utils.translation import gettext_lazy as _

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
    menu = []
    for label, name in entries:
        try:
            menu.append((label, reverse(name, kwargs={"contract_id": contract.pk}), name))
        except NoReverseMatch:
            continue
    return menu
