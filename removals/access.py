"""Every consumer page of a case gets it here: by its number, in the request's tenant, on an
account the user holds — one query; anything else is a 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from portal.decorators import tenant_required
from portal.models import Workflow
from removals.models import MeterRemoval


def case_for(request, number):
    removal = (
        MeterRemoval.objects.for_tenant(request.tenant)
        .filter(application__number=number, application__account__users=request.user)
        .select_related(
            "tenant",
            "meter",
            "replacement_meter",
            "application",
            "application__kind",
            "application__tenant",
            "application__account",
            "application__branch",
            "fee_invoice",
            "damages_invoice",
        )
        .first()
    )
    if removal is None:
        raise Http404
    return removal


def case_page(view):
    @login_required
    @tenant_required(Workflow.METER_REMOVAL)
    @wraps(view)
    def wrapper(request, number, *args, **kwargs):
        return view(request, case_for(request, number), *args, **kwargs)

    return wrapper
