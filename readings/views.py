"""W1 pages: subscriber code → readings form → "your application is registered"."""

from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.base import UpdateError
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import Value
from django.db.models.functions import Replace, Upper
from django.http import Http404
from django.shortcuts import redirect, render

from applications.models import Application
from meters.holders import holder_as_seen_by
from meters.models import Meter, SubscriberAccount
from meters.selectors import meter_summaries, normalize_serial
from portal.access import require_download
from portal.clients import client_ip
from portal.decorators import tenant_required
from portal.files import extension_of, private_file_response
from portal.forms import carried_idempotency_key, normalize_idempotency_key
from portal.models import Workflow
from portal.scoping import get_scoped_or_404
from readings.forms import LINE_FIELDS, MAX_LINES, ContactForm, ReadingLineFormSet, SubscriberCodeForm, line_formset
from readings.kinds import METER_READINGS
from readings.models import OnSiteCheck, PhotoDraft, SubmittedReading
from readings.services import replaced_lines, submit_readings
from readings.services.drafts import keep_uploads, remove_draft

FORMSET_PREFIX = "lines"


def session_key(tenant):
    return f"meters:readings_account:{tenant.pk}"


@login_required
@tenant_required(Workflow.METER_READINGS)
def submit_readings_start(request):
    form = SubscriberCodeForm(
        request.POST or None, tenant=request.tenant, user=request.user, client_ip=client_ip(request)
    )
    if request.method == "POST" and form.is_valid():
        # The account travels in the session, not the URL: the code is half of the public status check.
        request.session[session_key(request.tenant)] = form.account.pk
        return redirect("readings:submit_readings_form")
    return render(request, "readings/submit_code.html", {"form": form})


@login_required
@tenant_required(Workflow.METER_READINGS)
def submit_readings_form(request):
    tenant = request.tenant
    account_id = request.session.get(session_key(tenant))
    account = (
        SubscriberAccount.objects.for_tenant(tenant).filter(pk=account_id, is_active=True).first()
        if account_id
        else None
    )
    if account is None:
        return redirect("readings:submit_readings")

    today = tenant.today()
    summaries = meter_summaries(Meter.objects.for_tenant(tenant).filter(account=account), today)
    active = [s for s in summaries if s.meter.status == Meter.Status.ACTIVE]
    form_kwargs = {
        "summaries": {normalize_serial(s.meter.serial_number): s for s in active},
        "all_serials": {normalize_serial(s.meter.serial_number) for s in summaries},
        "today": today,
        "elsewhere": lambda serial: serial_on_another_account(tenant, account, serial),
    }
    contact_initial = {"contact_phone": request.user.phone, "contact_email": request.user.email}
    region = tenant.country_code
    # One line per meter in service, its factory number filled in; untouched lines are skipped.
    meter_rows = [(s, *s.plausible_range(today)) for s in active]
    offered = meter_rows[:MAX_LINES]
    offered_initial = [{"serial_number": s.meter.serial_number} for s, _low, _high in offered]
    form_kwargs["offered"] = offered
    refused = {}

    if request.method != "POST":
        formset = line_formset(min(max(len(active), 1), MAX_LINES) - 1)(
            prefix=FORMSET_PREFIX, initial=offered_initial, form_kwargs=form_kwargs
        )
        contact = ContactForm(initial=contact_initial, region=region)
    else:
        existing = existing_application(request, request.POST.get("idempotency_key", ""))
        if existing is not None:  # the same form posted again: show the first result
            return redirect("readings:submission_done", number=existing.number)
        # Every photo posted is checked and kept at once, whatever else is wrong with the form, so
        # that a page shown again never asks for it twice (issue #9, item 2).
        form_key = normalize_idempotency_key(request.POST.get("idempotency_key", ""))
        drafts, refused = keep_uploads(
            tenant=tenant,
            user=request.user,
            form_key=form_key,
            files=request.FILES,
            prefix=FORMSET_PREFIX,
            max_lines=MAX_LINES,
        )
        remove = removed_line(request.POST)
        if remove is not None and form_key:
            remove_draft(tenant=tenant, user=request.user, form_key=form_key, line_index=remove)
            drafts.pop(remove, None)
        form_kwargs.update(drafts=drafts, refused=refused)
        if "add_line" in request.POST or remove is not None:
            formset = formset_shown_again(request.POST, form_kwargs, one_more="add_line" in request.POST)
            key = carried_idempotency_key(request.POST.get("idempotency_key"))
            contact = ContactForm(initial={**request.POST.dict(), "idempotency_key": key}, region=region)
        else:
            formset = ReadingLineFormSet(
                request.POST, prefix=FORMSET_PREFIX, initial=offered_initial, form_kwargs=form_kwargs
            )
            contact = ContactForm(request.POST, region=region)
            if formset.is_valid() and contact.is_valid():
                try:
                    application = submit_readings(
                        tenant=tenant,
                        account=account,
                        applicant=request.user,
                        lines=formset.lines(),
                        contact_phone=contact.cleaned_data["contact_phone"],
                        contact_email=contact.cleaned_data["contact_email"],
                        notes=contact.cleaned_data["notes"],
                        idempotency_key=contact.cleaned_data["idempotency_key"],
                        language=request.LANGUAGE_CODE,
                    )
                except ValidationError as error:
                    contact.add_error(None, error)
                else:
                    request.session.pop(session_key(tenant), None)
                    if not session_saved(request):
                        # The readings are committed but the session is gone (logged out in another tab,
                        # expired): the number is shown here rather than a 400 from the session middleware.
                        return render(request, "readings/submission_done.html", done_context(application))
                    return redirect("readings:submission_done", number=application.number)

    holder_name, holder_address = holder_as_seen_by(account, request.user, tenant)
    return render(
        request,
        "readings/submit_form.html",
        {
            "account": account,
            "holder_name": holder_name,
            "holder_address": holder_address,
            "meter_rows": meter_rows,
            "formset": formset,
            "contact": contact,
            # Shown at the top when the page is shown again without checking the lines (add, remove).
            "refused_photos": sorted(refused.items()) if not formset.is_bound else [],
            "max_lines": MAX_LINES,
        },
    )


def serial_on_another_account(tenant, account, serial):
    """Whether ``serial`` (normalized) is a meter of another account of the tenant: then it is not
    a new meter of this one, and the line is refused as before."""
    compact = Upper(Replace("serial_number", Value(" "), Value("")))
    others = Meter.objects.for_tenant(tenant).exclude(account=account).annotate(compact=compact)
    return others.filter(compact=serial).exists()


def session_saved(request):
    """Save the session now; if it cannot be (its row was deleted meanwhile), forget it so that the
    session middleware does not answer 400, and say so."""
    try:
        request.session.save()
    except (UpdateError, DatabaseError):
        request.session = request.session.__class__()  # empty: the middleware only clears the cookie
        return False
    return True


def existing_application(request, key):
    key = normalize_idempotency_key(key)
    if key is None:
        return None
    return Application.objects.for_tenant(request.tenant).filter(applicant=request.user, idempotency_key=key).first()


def removed_line(data):
    """The line whose attached photo the citizen removed ("Remove" posts the form), or None."""
    try:
        index = int(data.get("remove_photo", ""))
    except ValueError:
        return None
    return index if 0 <= index < MAX_LINES else None


def formset_shown_again(data, form_kwargs, *, one_more):
    """The form shown again without checking it ("Add another meter" or "Remove" without
    JavaScript): the lines typed so far (plus an empty one), their photos kept as drafts.

    Built unbound from the posted values, so the page shows no errors for lines not finished yet.
    """
    try:
        count = int(data.get(f"{FORMSET_PREFIX}-TOTAL_FORMS", 1))
    except ValueError:
        count = 1
    count = max(1, min(count, MAX_LINES))
    initial = []
    for i in range(count):
        values = {name: data.get(f"{FORMSET_PREFIX}-{i}-{name}") for name in LINE_FIELDS}
        initial.append({name: value for name, value in values.items() if value})
    extra = min(count + (1 if one_more else 0), MAX_LINES) - 1  # min_num=1 counts as the first line
    return line_formset(extra)(initial=initial, prefix=FORMSET_PREFIX, form_kwargs=form_kwargs)


@login_required
@tenant_required(Workflow.METER_READINGS)
def submission_done(request, number):
    application = get_scoped_or_404(
        Application.objects.select_related("account"),
        request.tenant,
        number=number,
        applicant=request.user,
        kind__code=METER_READINGS,
    )
    return render(request, "readings/submission_done.html", done_context(application))


def done_context(application):
    # One query for the lines; the page lists them by factory number (an unlisted one by what was typed).
    lines = sorted(
        application.reading_lines.select_related("meter"),
        key=lambda line: (line.meter.serial_number if line.meter else "", line.entered_serial),
    )
    below = [line for line in lines if SubmittedReading.Flag.BELOW_BOOKED in line.flags]
    unlisted = [line for line in lines if SubmittedReading.Flag.UNLISTED_METER in line.flags]
    return {
        "application": application,
        "replaced": replaced_lines(application),
        "lines": lines,
        "below_booked": below,
        "unlisted": unlisted,
        "on_site_check": application.on_site_checks.filter(status=OnSiteCheck.Status.OPEN).first(),
    }


@login_required
@tenant_required()
def draft_photo(request, pk):
    """The thumbnail of a photo attached to a form not sent yet: its owner's only."""
    draft = PhotoDraft.objects.for_tenant(request.tenant).filter(pk=pk, user=request.user).first()
    if draft is None:
        raise Http404
    return private_file_response(draft.file, filename=f"draft-{draft.pk}{extension_of(draft.file)}")


@login_required
@tenant_required()
def submission_photo(request, pk):
    line = (
        SubmittedReading.objects.for_tenant(request.tenant)
        .select_related("application")
        .exclude(photo="")
        .filter(pk=pk)
        .first()
    )
    if line is None:
        raise Http404
    application = line.application
    owned = application.applicant_id == request.user.pk
    require_download(request, tenant=request.tenant, branch=application.branch_id, owned=owned)
    return private_file_response(line.photo, filename=f"{line.application.number}-{line.pk}{extension_of(line.photo)}")
