"""The consumer's pages of W3: My meter cases, a case with its stages, acts and invoices, the
request to attend, an act's PDF, and reporting a fault or asking for verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import clocks
from meters.holders import holds_account
from portal.access import require_download
from portal.decorators import tenant_required
from portal.files import filename_part, private_file_response
from portal.models import Workflow
from removals import selectors, services
from removals.access import case_page
from removals.forms import OpenCaseForm
from removals.models import Act, Channel
from removals.tasks import render_act


@login_required
@tenant_required(Workflow.METER_REMOVAL)
def my_cases(request):
    today = request.tenant.today()
    rows = [
        {
            "removal": removal,
            "stage": clocks.stage_label(removal.application),
            "late": not removal.application.is_closed and removal.application.due_on < today,
        }
        for removal in selectors.cases_of(request.user, request.tenant)
    ]
    return render(request, "removals/my_cases.html", {"rows": rows})


@case_page
def case_detail(request, removal):
    return render(request, "removals/case_detail.html", {"page": selectors.case_page(removal)})


@require_POST
@case_page
def case_attend(request, removal):
    try:
        services.request_attendance(removal=removal, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You will be told the date and place of each stage before it happens."))
    return redirect("removals:case_detail", number=removal.application.number)


@login_required
@tenant_required(Workflow.METER_REMOVAL)
def act_pdf(request, number, pk):
    """The consumer who holds the account, or verified staff of the case's branch."""
    act = (
        Act.objects.for_tenant(request.tenant)
        .filter(pk=pk, removal__application__number=number)
        .select_related("tenant", "removal__application__account", "removal__application__branch")
        .first()
    )
    if act is None:
        raise Http404
    application = act.removal.application
    owned = holds_account(request.user, application.account_id)
    require_download(request, tenant=act.tenant, branch=application.branch_id, owned=owned)
    if not act.pdf:
        render_act(act.pk)
        act.refresh_from_db(fields=["pdf"])
    return private_file_response(act.pdf, filename=f"{filename_part(act.number)}.pdf", content_type="application/pdf")


@login_required
@tenant_required(Workflow.METER_REMOVAL)
def open_case(request):
    tenant = request.tenant
    meters = selectors.meters_to_report(request.user, tenant)
    fees = selectors.fees_by_meter(tenant, meters)
    form = OpenCaseForm(request.POST or None, meters=meters, region=tenant.country_code)
    if request.method == "POST" and form.is_valid():
        meter = form.meter_obj
        verification = form.cleaned_data["what"] == OpenCaseForm.VERIFICATION
        try:
            removal, _created = services.open_case(
                account=meter.account,
                meter=meter,
                reason=form.reason,
                channel=Channel.CONSUMER_REQUEST,
                actor=request.user,
                applicant=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
                requested_by_consumer=verification,
                attendance_requested=form.cleaned_data["attend"],
                language=request.LANGUAGE_CODE,
                contact_phone=form.cleaned_data["contact_phone"],
                contact_email=form.cleaned_data["contact_email"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request is registered, number %(number)s.") % {"number": removal.application.number}
            )
            return redirect("removals:case_detail", number=removal.application.number)
    rows = [(meter, fees.get(meter.pk)) for meter in meters]
    return render(request, "removals/open_case.html", {"form": form, "rows": rows})
