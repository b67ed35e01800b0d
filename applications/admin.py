"""Staff review of applications: queues filtered by status, branch, kind and lateness, and status
changes only through actions that call the workflow services (so each one is on the timeline)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications import services
from applications.forms import ReasonForm
from applications.models import CLOSED, Application, ApplicationEvent, ApplicationKind, Status
from portal.admin_site import TenantScopedAdmin


class OverdueFilter(admin.SimpleListFilter):
    title = _("lateness")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("On time"))]

    def queryset(self, request, queryset):
        # Server's date: a day's difference between tenants' time zones is below a term's precision.
        open_late = {"due_on__lt": timezone.localdate()}
        if self.value() == "yes":
            return queryset.exclude(status__in=CLOSED).filter(**open_late)
        if self.value() == "no":
            return queryset.exclude(status__in=CLOSED).exclude(**open_late)
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("nobody", _("Not assigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class TimelineInline(admin.TabularInline):
    """The full timeline, internal events included; written only by the services."""

    model = ApplicationEvent
    fields = ["at", "kind", "from_status", "to_status", "actor", "note", "public"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("event")
    verbose_name_plural = _("timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_view_permission(self, request, obj=None):
        # Whoever may see the application sees its timeline; events have no permissions of their own.
        return request.user.has_perm("applications.view_application") or request.user.has_perm(
            "applications.change_application"
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(TenantScopedAdmin):
    branch_path = "branch"
    list_display = ["number", "kind", "status", "account", "branch", "assigned_to", "due_on", "overdue"]
    list_filter = ["status", "branch", "kind", OverdueFilter, AssigneeFilter]
    list_select_related = ["kind", "account", "branch", "assigned_to"]
    search_fields = ["number", "account__code", "applicant__email"]
    date_hierarchy = "submitted_at"
    inlines = [TimelineInline]
    actions = ["assign_to_me", "start_review", "ask_for_information", "reject"]
    fieldsets = [
        (None, {"fields": ["number", "kind", "status", "decision_reason", "due_on", "closed_at"]}),
        (
            _("Applicant"),
            {"fields": ["applicant", "organization", "account", "contact_phone", "contact_email", "notes", "language"]},
        ),
        (_("Handling"), {"fields": ["branch", "assigned_to", "submitted_at"]}),
    ]
    # Every field is read-only: status, assignment and reasons change only through the actions
    # below, which go through applications.services and leave an event on the timeline.
    readonly_fields = [field for _title, options in fieldsets for field in options["fields"]]

    def has_add_permission(self, request):
        return False  # applications come from the applicants' forms, with numbers from the sequence

    def has_delete_permission(self, request, obj=None):
        return False  # a submitted application must never be lost

    @admin.display(boolean=True, description=_("overdue"))
    def overdue(self, obj):
        return not obj.is_closed and obj.due_on < timezone.localdate()

    # -- actions -----------------------------------------------------------------------------

    def _run(self, request, queryset, change, done_message):
        done, refused = 0, []
        for application in queryset:
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

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda application: services.assign(application=application, assignee=request.user, actor=request.user),
            lambda n: (
                ngettext("%(n)d application assigned to you.", "%(n)d applications assigned to you.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Start review"), permissions=["change"])
    def start_review(self, request, queryset):
        self._transition(request, queryset, Status.IN_REVIEW)

    @admin.action(description=_("Ask the applicant for more information…"), permissions=["change"])
    def ask_for_information(self, request, queryset):
        return self._with_reason(
            request, queryset, Status.WAITING_FOR_APPLICANT, _("Ask the applicant for more information")
        )

    @admin.action(description=_("Reject…"), permissions=["change"])
    def reject(self, request, queryset):
        return self._with_reason(request, queryset, Status.REJECTED, _("Reject applications"))

    def _transition(self, request, queryset, to_status, note=""):
        def done_message(n):
            return ngettext("%(n)d application is now “%(status)s”.", "%(n)d applications are now “%(status)s”.", n) % {
                "n": n,
                "status": to_status.label,
            }

        self._run(
            request,
            queryset,
            lambda application: services.transition(
                application=application, to_status=to_status, actor=request.user, note=note
            ),
            done_message,
        )

    def _with_reason(self, request, queryset, to_status, title):
        """An intermediate page asking for the reason the applicant will read, then the transition."""
        if "apply" in request.POST:
            form = ReasonForm(request.POST)
            if form.is_valid():
                self._transition(request, queryset, to_status, note=form.cleaned_data["reason"])
                return None  # back to the list, with the messages
        else:
            form = ReasonForm()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "to_status": to_status,
            "form": form,
            "applications": queryset.select_related("kind"),
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
            "media": self.media,
        }
        return TemplateResponse(request, "applications/admin/reason.html", context)


@admin.register(ApplicationKind)
class ApplicationKindAdmin(TenantScopedAdmin):
    list_display = ["name", "code", "tenant", "due_working_days", "is_active"]
    list_filter = ["tenant", "is_active"]
    list_editable = ["due_working_days", "is_active"]
    search_fields = ["name", "code"]


