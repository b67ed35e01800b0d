from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications import clocks, kinds, selectors, services
from applications.forms import AnswerForm, StatusCheckForm
from portal import ratelimit
from portal.clients import client_ip
from portal.decorators import tenant_required

# Wrong number/code pairs allowed per tenant and client address before the status check pauses;
# enough for typos, far too few to guess someone's subscriber code.
STATUS_CHECK_LIMIT = ratelimit.POLICIES["status_check"].limit
STATUS_CHECK_WINDOW = ratelimit.POLICIES["status_check"].window  # seconds


@login_required
@tenant_required()
def my_list(request):
    applications = selectors.applications_for(request.tenant, request.user)
    return render(request, "applications/my_list.html", {"applications": applications})


@login_required
@tenant_required()
def detail(request, number):
    application = selectors.application_for_user_or_404(request.tenant, request.user, number)
    return render(request, "applications/detail.html", _detail_context(request, application))


def _detail_context(request, application, answer_form=None):
    can_answer = services.can_answer(application, request.user)
    return {
        "application": application,
        "timeline": selectors.public_timeline(application),
        "stages": clocks.timeline(application),
        "can_withdraw": services.can_withdraw(application, request.user),
        "answer_form": (answer_form or AnswerForm()) if can_answer else None,
        # Each kind may show its own details (readings lines, the invoice), as its app registered them.
        "kind_template": kinds.detail_template(application.kind.code),
    }


@require_POST
@login_required
@tenant_required()
def answer(request, number):
    """The applicant answers the question the utility asked (the application waits for him)."""
    application = selectors.application_for_user_or_404(request.tenant, request.user, number)
    if not services.can_answer(application, request.user):
        # A second post of the same answer lands here: the first already put it back in review.
        messages.info(request, _("This application is not waiting for an answer."))
        return redirect("applications:detail", number=application.number)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.answer(
                application=application,
                actor=request.user,
                note=form.cleaned_data["answer"],
                document=form.cleaned_data["document"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your answer is sent; the application is back in review."))
        return redirect("applications:detail", number=application.number)
    return render(request, "applications/detail.html", _detail_context(request, application, answer_form=form))


@require_http_methods(["GET", "POST"])
@login_required
@tenant_required()
def withdraw(request, number):
    """The confirmation page (GET) and the withdrawal itself: only a POST from that page, which
    carries ``confirm``, withdraws; any other POST shows the page, so nothing is withdrawn by a
    stray or forged-looking click without the applicant reading what it means."""
    application = selectors.application_for_user_or_404(request.tenant, request.user, number)
    if request.method == "POST" and request.POST.get("confirm") == "withdraw":
        try:
            services.withdraw(application=application, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application %(number)s is withdrawn.") % {"number": application.number})
        return redirect("applications:detail", number=application.number)
    if not services.can_withdraw(application, request.user):
        messages.error(request, _("This application can no longer be withdrawn."))
        return redirect("applications:detail", number=application.number)
    return render(request, "applications/withdraw_confirm.html", {"application": application})


@tenant_required()
def status_check(request):
    """Anyone with the number and the subscriber code may see the status and its date, nothing else."""
    # Without any address every such visitor shares one counter, as before: refusing too much
    # beats not throttling at all.
    who = {"tenant": request.tenant.pk, "ip": client_ip(request) or "unknown"}
    form = StatusCheckForm(request.POST or None)
    result = None
    throttled = ratelimit.is_limited("status_check", **who)
    if request.method == "POST" and not throttled and form.is_valid():
        result = selectors.application_by_number_and_code(
            request.tenant, form.cleaned_data["number"], form.cleaned_data["subscriber_code"]
        )
        if result is None:
            ratelimit.hit("status_check", **who)
            # One message for every wrong pair: it must not tell which half was wrong.
            form.add_error(None, _("We found no application with this number and subscriber code. Check both."))
    context = {
        "form": form,
        "result": result,
        "throttled": throttled and request.method == "POST",
        "limit": STATUS_CHECK_LIMIT,
        "window_minutes": STATUS_CHECK_WINDOW // 60,
    }
    return render(request, "applications/status_check.html", context, status=429 if context["throttled"] else 200)
