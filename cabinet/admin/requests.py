"""Staff review of the cabinet's W4 requests on the application's own admin page: the payload of
each kind as a read-only inline, the attachments to download, and actions that decide through
applications.services_requests (so the contract or the organization changes in the transaction
that executes the application, and every step is on the timeline)."""

from pathlib import PurePath

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.admin import ApplicationAdmin
from applications.models import Application, Attachment
from cabinet.kinds import Code
from cabinet.models import Claim, EmployeeList, LimitChangeRequest, RequisitesChange
from cabinet.services import requests as services_requests


class ReadOnlyInline:
    """Read-only: the applicant's payload is what he sent; staff decide through the actions."""

    extra = 0
    max_num = 0
    can_delete = False
    kind_code = None

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_view_permission(self, request, obj=None):
        # Whoever may see the application sees its payload, as with the timeline.
        return request.user.has_perm("applications.view_application") or request.user.has_perm(
            "applications.change_application"
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PayloadInline(ReadOnlyInline, admin.StackedInline):
    pass


class LimitChangeInline(PayloadInline):
    model = LimitChangeRequest
    kind_code = Code.LIMIT_CHANGE
    fields = ["contract", "current_limit", "new_limit", "effective_from", "reason", "applied_at"]


class RequisitesChangeInline(PayloadInline):
    model = RequisitesChange
    kind_code = Code.REQUISITES_CHANGE
    fields = ["organization", "requisites_in_force", "bank_name", "bank_code", "bank_account", "applied_at"]

    @admin.display(description=_("requisites in force"))
    def requisites_in_force(self, obj):
        organization = obj.organization
        return f"{organization.bank_name or '—'} · {organization.bank_code or '—'} · {organization.bank_account or '—'}"


class ClaimInline(PayloadInline):
    model = Claim
    kind_code = Code.CLAIM
    fields = ["contract", "subject", "text"]


class EmployeeListInline(PayloadInline):
    model = EmployeeList
    kind_code = Code.EMPLOYEE_LIST
    fields = ["contract", "signed_by", "employees_table"]

    @admin.display(description=_("employees"))
    def employees_table(self, obj):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (e.full_name, e.position, e.personal_number, e.passport_number or "—", e.phone or "—")
                for e in obj.employees.all()
            ),
        )
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("full name"),
            _("position"),
            _("personal number"),
            _("identity document number"),
            _("phone"),
        )
        return format_html("<table>{}{}</table>", head, rows)


class AttachmentInline(ReadOnlyInline, admin.TabularInline):
    model = Attachment
    fields = ["download", "uploaded_by", "uploaded_at"]

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("admin:applications_application_attachment", args=[obj.application_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


PAYLOAD_INLINES = [LimitChangeInline, RequisitesChangeInline, ClaimInline, EmployeeListInline]


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply shown to the applicant"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Added to the request's history in the cabinet and sent to the applicant by e-mail."),
    )


class RequestsApplicationAdmin(ApplicationAdmin):
    inlines = [*PAYLOAD_INLINES, AttachmentInline, *ApplicationAdmin.inlines]
    actions = [*ApplicationAdmin.actions, "confirm_and_apply", "mark_list_received", "confirm_list", "reply"]

    def get_inline_instances(self, request, obj=None):
        # Only the payload of this application's kind; the other kinds' inlines would be empty boxes.
        code = obj.kind.code if obj is not None else None
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if getattr(inline, "kind_code", None) in (None, code)
        ]

    def get_urls(self):
        download = self.admin_site.admin_view(self.attachment_view)
        return [
            path("<int:pk>/attachments/<int:attachment_pk>/", download, name="applications_application_attachment"),
            *super().get_urls(),
        ]

    def attachment_view(self, request, pk, attachment_pk):
        # Through the scoped queryset: staff of another tenant or branch get a 404.
        application = self.get_queryset(request).filter(pk=pk).first()
        if application is None or not self.has_view_or_change_permission(request, application):
            raise Http404
        item = Attachment.objects.filter(application=application, pk=attachment_pk).first()
        if item is None:
            raise Http404
        extension = PurePath(item.file.name).suffix.lower()
        response = FileResponse(
            item.file.open("rb"), as_attachment=True, filename=f"{application.number}-{item.pk}{extension}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # -- actions -----------------------------------------------------------------------------

    def _decide(self, request, queryset, decide, done_message):
        self._run(
            request,
            queryset.select_related("kind", "tenant"),
            lambda application: decide(application=application, actor=request.user),
            done_message,
        )

    @admin.action(
        description=_("Confirm and apply (limit change, bank requisites, answered claim)"), permissions=["change"]
    )
    def confirm_and_apply(self, request, queryset):
        self._decide(
            request,
            queryset,
            services_requests.confirm_and_apply,
            lambda n: (
                ngettext("%(n)d request confirmed and applied.", "%(n)d requests confirmed and applied.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Mark employee list received"), permissions=["change"])
    def mark_list_received(self, request, queryset):
        self._decide(
            request,
            queryset,
            services_requests.mark_list_received,
            lambda n: ngettext("%(n)d list marked received.", "%(n)d lists marked received.", n) % {"n": n},
        )

    @admin.action(description=_("Confirm employee list"), permissions=["change"])
    def confirm_list(self, request, queryset):
        self._decide(
            request,
            queryset,
            services_requests.confirm_list,
            lambda n: ngettext("%(n)d list confirmed.", "%(n)d lists confirmed.", n) % {"n": n},
        )

    @admin.action(description=_("Reply to the applicant…"), permissions=["change"])
    def reply(self, request, queryset):
        """An intermediate page for the reply, then a public comment on each selected request."""
        queryset = queryset.select_related("kind", "tenant", "applicant")
        if "apply" in request.POST:
            form = ReplyForm(request.POST)
            if form.is_valid():
                note = form.cleaned_data["reply"]
                self._run(
                    request,
                    queryset,
                    lambda application: services_requests.reply_to_applicant(
                        application=application, actor=request.user, note=note
                    ),
                    lambda n: ngettext("Reply added to %(n)d request.", "Reply added to %(n)d requests.", n) % {"n": n},
                )
                return None
        else:
            form = ReplyForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reply to the applicant"),
            "form": form,
            "applications": queryset,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
            "media": self.media,
        }
        return TemplateResponse(request, "cabinet/requests/admin/reply.html", context)


admin.site.unregister(Application)
admin.site.register(Application, RequestsApplicationAdmin)
