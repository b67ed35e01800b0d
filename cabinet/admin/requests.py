"""Staff review of the cabinet's W4 requests on their own admin page (a proxy of the application
filtered to the cabinet's kinds): the payload of each kind as a read-only inline, the attachments
to download, and actions that decide through cabinet.services.requests (so the contract or the
organization changes in the transaction that executes the application, and every step is on the
timeline)."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.admin import ApplicationAdmin, AttachmentInline, ReadOnlyInline, TimelineInline
from cabinet.kinds import REQUEST_KINDS, Code
from cabinet.models import Claim, EmployeeList, LimitChangeRequest, RequestApplication, RequisitesChange
from cabinet.services import requests as services_requests


class PayloadInline(ReadOnlyInline, admin.StackedInline):
    """The applicant's payload is what he sent; staff decide through the actions."""

    kind_code = None


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


PAYLOAD_INLINES = [LimitChangeInline, RequisitesChangeInline, ClaimInline, EmployeeListInline]


@admin.register(RequestApplication)
class RequestApplicationAdmin(ApplicationAdmin):
    """The generic queue's list and filters, for the cabinet's kinds only, with their decisions.

    Its plain steps (review, question, rejection) are the whole decision for a request: it is the
    kinds' registered admin, so ApplicationAdmin.change_status lets them through here.
    """

    inlines = [*PAYLOAD_INLINES, AttachmentInline, TimelineInline]
    actions = [*ApplicationAdmin.actions, "confirm_and_apply", "mark_list_received", "confirm_list", "reply"]
    reply_explanation = _(
        "The reply is added to the history of each selected request, where the applicant's organization "
        "sees it, and e-mailed to the applicant. The status does not change."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind__code__in=REQUEST_KINDS)

    def get_inline_instances(self, request, obj=None):
        # Only the payload of this application's kind; the other kinds' inlines would be empty boxes.
        code = obj.kind.code if obj is not None else None
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if getattr(inline, "kind_code", None) in (None, code)
        ]

    def reply_to_applicant(self, *, application, actor, note):
        return services_requests.reply_to_applicant(application=application, actor=actor, note=note)

    # -- actions -----------------------------------------------------------------------------

    def _decide(self, request, queryset, decide, done_message):
        self.run_for_each(
            request, queryset, lambda application: decide(application=application, actor=request.user), done_message
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
