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
