"""W2 pages: the connection request form (with its fee partial for JavaScript) and the
technical-conditions download. The applicant follows the request on the engine's application
page, which shows W2's details through the kind's detail template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import PersonalDetails
from connections.flow import ApplyPage
from connections.forms import Step
from connections.models import ConnectionRequest
from connections.services.documents import file_name
from connections.services.submission import existing_request
from portal.access import require_download
from portal.decorators import tenant_required
from portal.files import private_file_response
from portal.forms import normalize_idempotency_key
from portal.models import Workflow


def _details(user):
    return PersonalDetails.objects.filter(user=user).first()


@login_required
@tenant_required(Workflow.GRID_CONNECTION)
def apply(request):
    details = _details(request.user)
    if details is None:
        # The basic data are read-only on the form: they come from the profile (later the state login).
        return render(request, "connections/details_missing.html")
    if request.method == "POST":
        key = normalize_idempotency_key(request.POST.get("idempotency_key", ""))
        existing = existing_request(request.tenant, request.user, key) if key else None
        if existing is not None:  # the same form posted again: the first result
            return redirect("applications:detail", number=existing.application.number)
        page = ApplyPage(request, data=request.POST, step=request.POST.get("step", Step.SUBMIT))
        application = page.run()
        if application is not None:
            messages.success(
                request,
                _("Your application is registered, number %(number)s. We sent an SMS and an e-mail.")
                % {"number": application.number},
            )
            return redirect("applications:detail", number=application.number)
    else:
        page = ApplyPage(request, initial_contact={"phone": request.user.phone, "email": request.user.email})
    context = {**page.context(), "details": details}
    return render(request, "connections/apply.html", context)


@require_POST
@login_required
@tenant_required(Workflow.GRID_CONNECTION)
def quote_partial(request):
    """The fee box alone, for the form's JavaScript ("Calculate" without a reload)."""
    page = ApplyPage(request, data=request.POST, step=Step.CALCULATE)
    page.compute_quote()
    return render(request, "connections/includes/quote_result.html", page.context())


@login_required
@tenant_required()
def conditions_pdf(request, number):
    """The technical conditions: the applicant's, or verified staff of the request's branch."""
    connection = (
        ConnectionRequest.objects.for_tenant(request.tenant)
        .select_related("application")
        .exclude(conditions_pdf="")
        .filter(application__number=number)
        .first()
    )
    if connection is None:
        raise Http404
    application = connection.application
    require_download(
        request, tenant=request.tenant, branch=application.branch_id, owned=application.applicant_id == request.user.pk
    )
    return private_file_response(
        connection.conditions_pdf, filename=file_name(connection), content_type="application/pdf"
    )
