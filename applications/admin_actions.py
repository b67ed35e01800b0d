"""The admin actions every application admin shares: run a decision over the selected
applications reporting each refusal, ask for a reason (or a reply) on an intermediate page, and
the plain workflow steps. Each kind's admin mixes this in and names the actions it offers; a kind
with its own review overrides the steps that must do more than change the status (W1's reject
closes the submitted readings and the on-site check)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications import services
from applications.forms import ReasonForm, ReplyForm
from applications.models import Status


def transitioned(to_status):
    """The success message of a decision that moves applications to ``to_status``."""

    def message(n):
        return ngettext("%(n)d application is now “%(status)s”.", "%(n)d applications are now “%(status)s”.", n) % {
            "n": n,
            "status": Status(to_status).label,
        }

    return message


class ApplicationActionsMixin:
    reason_template = "applications/admin/reason.html"
    # Shown above the reply form; None keeps the template's own explanation.
    reply_explanation = None

    # -- the machinery ---------------------------------------------------------------------------

    def run_for_each(self, request, queryset, change, done_message):
        """``change(application)`` on each selected row; a refused row is reported with its number
        and does not stop the others."""
        done, refused = 0, []
        for application in queryset.select_related("kind", "tenant"):
            try:
                change(application)
            except ValidationError as error:
                refused.append(f"{application.number}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    def ask_for_text(self, request, queryset, *, title, form_class, apply, to_status=None, explanation=None):
        """An intermediate page with ``form_class`` (one text field); on a valid post
        ``apply(text)`` runs and the admin returns to the list with the messages."""
        (field,) = form_class.base_fields
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                apply(form.cleaned_data[field])
                return None
        else:
            form = form_class()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "to_status": to_status,
            "explanation": explanation,
            "form": form,
            "applications": queryset.select_related("kind"),
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
            "media": self.media,
        }
        return TemplateResponse(request, self.reason_template, context)

    def confirm_then(self, request, queryset, *, title, explanation, apply):
        """An intermediate page listing the selected applications with ``explanation``; ``apply()``
        runs only when staff confirm there, so a bulk decision that books readings or forms
        invoices is never one slip of the action menu."""
        if "apply" in request.POST:
            apply()
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "explanation": explanation,
            "form": None,
            "applications": queryset.select_related("kind"),
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
            "media": self.media,
        }
        return TemplateResponse(request, self.reason_template, context)

    def decide_with_reason(self, request, queryset, *, to_status, title, decide):
        """Ask for the reason the applicant will read, then ``decide(application, reason)`` on each row."""
        return self.ask_for_text(
            request,
            queryset,
            title=title,
            form_class=ReasonForm,
            to_status=to_status,
            apply=lambda reason: self.run_for_each(
                request, queryset, lambda application: decide(application, reason), transitioned(to_status)
            ),
        )

    def change_status(self, application, *, to_status, actor, note=""):
        """A plain status change through the workflow; the generic admin refuses it for kinds
        that have a review of their own."""
        return services.transition(application=application, to_status=to_status, actor=actor, note=note)

    def reply_to_applicant(self, *, application, actor, note):
        """A public comment the applicant reads on his application; kinds that also e-mail it override this."""
        return services.add_comment(application=application, actor=actor, note=note, public=True)

    # -- the actions -----------------------------------------------------------------------------

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self.run_for_each(
            request,
            queryset,
            lambda application: services.assign(application=application, assignee=request.user, actor=request.user),
            lambda n: (
                ngettext("%(n)d application assigned to you.", "%(n)d applications assigned to you.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Start review"), permissions=["change"])
    def start_review(self, request, queryset):
        self.run_for_each(
            request,
            queryset,
            lambda application: self.change_status(application, to_status=Status.IN_REVIEW, actor=request.user),
            transitioned(Status.IN_REVIEW),
        )

    @admin.action(description=_("Ask the applicant for more information…"), permissions=["change"])
    def ask_for_information(self, request, queryset):
        return self.decide_with_reason(
            request,
            queryset,
            to_status=Status.WAITING_FOR_APPLICANT,
            title=_("Ask the applicant for more information"),
            decide=lambda application, reason: self.change_status(
                application, to_status=Status.WAITING_FOR_APPLICANT, actor=request.user, note=reason
            ),
        )

    @admin.action(description=_("Reject…"), permissions=["change"])
    def reject(self, request, queryset):
        return self.decide_with_reason(
            request,
            queryset,
            to_status=Status.REJECTED,
            title=_("Reject applications"),
            decide=lambda application, reason: self.change_status(
                application, to_status=Status.REJECTED, actor=request.user, note=reason
            ),
        )

    @admin.action(description=_("Reply to the applicant…"), permissions=["change"])
    def reply(self, request, queryset):
        """A reply on each selected application's timeline; the status does not change."""
        queryset = queryset.select_related("kind", "tenant", "applicant")
        return self.ask_for_text(
            request,
            queryset,
            title=_("Reply to the applicant"),
            form_class=ReplyForm,
            explanation=self.reply_explanation,
            apply=lambda note: self.run_for_each(
                request,
                queryset,
                lambda application: self.reply_to_applicant(application=application, actor=request.user, note=note),
                lambda n: ngettext("Reply added to %(n)d request.", "Reply added to %(n)d requests.", n) % {"n": n},
            ),
        )
