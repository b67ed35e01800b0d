"""W4 request pages of the legal-entity cabinet: parse, call applications.services_requests,
render. Every page gets its contract from cabinet.access.contract_page (tenant and membership in
one query) and reaches its requests through that contract, so another organization sees a 404."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cabinet.access import contract_page, render_contract_page
from cabinet.forms.requests import (
    EMPLOYEE_FIELDS,
    MAX_EMPLOYEES,
    ClaimForm,
    EmployeeListForm,
    FollowUpForm,
    LimitChangeForm,
    RequisitesChangeForm,
    employee_formset,
)
from cabinet.kinds import Code
from cabinet.selectors import requests as selectors
from cabinet.services import requests as services
from portal.access import require_download
from portal.files import extension_of, private_file_response
from portal.forms import carried_idempotency_key

EMPLOYEE_PREFIX = "employees"
PAYLOADS = {
    Code.LIMIT_CHANGE: "limit_change",
    Code.REQUISITES_CHANGE: "requisites_change",
    Code.CLAIM: "claim",
    Code.EMPLOYEE_LIST: "employee_list",
}


def _done(request, contract, application):
    messages.success(
        request,
        _("Your request %(number)s is registered. You will see the decision here.") % {"number": application.number},
    )
    return redirect("cabinet:request_detail", contract_id=contract.pk, number=application.number)


def _with_confirmations(applications):
    rows = list(applications)
    for application in rows:
        application.confirmation = selectors.confirmation_of(application)
        application.status_text = selectors.status_label(application)
    return rows


@contract_page
def requests_list(request, contract):
    rows = _with_confirmations(selectors.contract_requests(contract))
    return render_contract_page(request, contract, "cabinet/requests/list.html", {"requests": rows})


@contract_page
def request_detail(request, contract, number):
    application = selectors.request_for_contract_or_404(contract, number)
    is_claim = application.kind.code == Code.CLAIM
    follow_up = None
    if is_claim and not application.is_closed:
        follow_up = FollowUpForm(request.POST or None)
        if request.method == "POST" and follow_up.is_valid():
            try:
                services.add_follow_up(
                    application=application, author=request.user, note=follow_up.cleaned_data["note"]
                )
            except ValidationError as error:
                follow_up.add_error(None, error)
            else:
                messages.success(request, _("Your message is added to the application."))
                return redirect("cabinet:request_detail", contract_id=contract.pk, number=number)
    context = {
        "application": application,
        "status_text": selectors.status_label(application),
        "confirmation": selectors.confirmation_of(application),
        "timeline": selectors.cabinet_timeline(application),
        "attachments": list(application.attachments.all()),
        "follow_up": follow_up,
    }
    # The kind's payload under its own name (limit_change, requisites_change, claim, employee_list).
    payload = PAYLOADS.get(application.kind.code)
    if payload is not None:
        context[payload] = getattr(application, payload, None)
    status = 400 if follow_up is not None and follow_up.errors else 200
    return render_contract_page(request, contract, "cabinet/requests/detail.html", context, status=status)


@contract_page
def attachment(request, contract, pk):
    item = selectors.attachment_for_contract_or_404(contract, pk)
    # contract_page found the contract through the user's organization membership: he holds it.
    require_download(request, tenant=request.tenant, branch=contract.account.branch_id, owned=True)
    return private_file_response(item.file, filename=f"{item.application.number}-{item.pk}{extension_of(item.file)}")


@contract_page
def limit_change(request, contract):
    form = LimitChangeForm(request.POST or None, today=request.tenant.today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.request_limit_change(
                contract=contract,
                applicant=request.user,
                new_limit=data["new_limit"],
                effective_from=data["effective_from"],
                reason=data["reason"],
                idempotency_key=data["idempotency_key"],
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, contract, application)
    recent = _with_confirmations(selectors.contract_requests(contract, kinds=[Code.LIMIT_CHANGE])[:5])
    return render_contract_page(
        request, contract, "cabinet/requests/limit_change.html", {"form": form, "recent": recent}
    )


@contract_page
def requisites_change(request, contract):
    organization = contract.organization
    may_request = services.is_owner(organization, request.user)
    form = RequisitesChangeForm(request.POST or None, request.FILES or None) if may_request else None
    if request.method == "POST":
        if not may_request:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.request_requisites_change(
                    contract=contract,
                    applicant=request.user,
                    bank_name=data["bank_name"],
                    bank_code=data["bank_code"],
                    bank_account=data["bank_account"],
                    letter=data["letter"],
                    idempotency_key=data["idempotency_key"],
                    language=request.LANGUAGE_CODE,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _done(request, contract, application)
    context = {"form": form, "organization": organization, "may_request": may_request}
    return render_contract_page(request, contract, "cabinet/requests/requisites_change.html", context)


@contract_page
def claim_new(request, contract):
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.submit_claim(
                contract=contract,
                applicant=request.user,
                subject=data["subject"],
                text=data["text"],
                files=data["attachments"],
                idempotency_key=data["idempotency_key"],
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, contract, application)
    return render_contract_page(request, contract, "cabinet/requests/claim_new.html", {"form": form})


@contract_page
def employee_lists(request, contract):
    rows = _with_confirmations(
        selectors.contract_requests(contract, kinds=[Code.EMPLOYEE_LIST]).select_related("employee_list")
    )
    return render_contract_page(request, contract, "cabinet/requests/employee_lists.html", {"requests": rows})


@contract_page
def employee_list_new(request, contract):
    form_kwargs = {"region": request.tenant.country_code}
    if request.method != "POST":
        formset = employee_formset(2)(prefix=EMPLOYEE_PREFIX, form_kwargs=form_kwargs)
        form = EmployeeListForm()
    elif "add_row" in request.POST:
        formset = formset_with_one_more_row(request.POST, form_kwargs)
        key = carried_idempotency_key(request.POST.get("idempotency_key"))
        form = EmployeeListForm(initial={**request.POST.dict(), "idempotency_key": key})
    else:
        formset = employee_formset()(request.POST, prefix=EMPLOYEE_PREFIX, form_kwargs=form_kwargs)
        form = EmployeeListForm(request.POST)
        if formset.is_valid() and form.is_valid():
            try:
                application = services.submit_employee_list(
                    contract=contract,
                    applicant=request.user,
                    signed_by=form.signed_by(),
                    employees=formset.employees(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    language=request.LANGUAGE_CODE,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _done(request, contract, application)
    context = {"form": form, "formset": formset, "max_rows": MAX_EMPLOYEES}
    return render_contract_page(request, contract, "cabinet/requests/employee_list_new.html", context)


def formset_with_one_more_row(data, form_kwargs):
    """ "Add another row" without JavaScript: the rows typed so far plus an empty one, unbound so
    unfinished rows show no errors yet."""
    try:
        count = int(data.get(f"{EMPLOYEE_PREFIX}-TOTAL_FORMS", 1))
    except ValueError:
        count = 1
    count = max(1, min(count, MAX_EMPLOYEES))
    initial = []
    for i in range(count):
        values = {name: data.get(f"{EMPLOYEE_PREFIX}-{i}-{name}") for name in EMPLOYEE_FIELDS}
        initial.append({name: value for name, value in values.items() if value})
    extra = min(count + 1, MAX_EMPLOYEES) - 1  # min_num=1 counts as the first row
    return employee_formset(extra)(initial=initial, prefix=EMPLOYEE_PREFIX, form_kwargs=form_kwargs)
