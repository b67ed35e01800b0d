"""Staff review of applications: the queue of every kind filtered by status, branch, kind and
lateness, with its timeline and attachments. Status changes happen only through actions that call
the workflow services (so each one is on the timeline), and a kind with a review of its own (its
proxy admin, registered in applications.kinds) is decided there, never here."""

import zoneinfo

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import PersonalDetails
from applications import kinds
from applications.admin_actions import ApplicationActionsMixin
from applications.models import CLOSED, Application, ApplicationEvent, ApplicationKind, Attachment, Status
from portal.access import require_download
from portal.admin_site import TenantScopedAdmin
from portal.files import extension_of, private_file_response


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


class ReadOnlyInline:
    """Rows the services write: shown to whoever may see the application on this admin page
    (the proxy's permissions on a kind's own admin), never edited here."""

    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_view_permission(self, request, obj=None):
        opts = self.parent_model._meta
        return any(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("view", "change")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TimelineInline(ReadOnlyInline, admin.TabularInline):
    """The full timeline, internal events included; written only by the services."""

    model = ApplicationEvent
    fields = ["when", "what", "actor", "note", "public"]
    verbose_name = _("event")
    verbose_name_plural = _("timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "application__tenant")

    @admin.display(description=_("time"))
    def when(self, obj):
        # In the tenant's time zone (the branch's clock), whatever the server's: staff compare it
        # with what the applicant and the inspector were told.
        local = timezone.localtime(obj.at, zoneinfo.ZoneInfo(obj.application.tenant.timezone))
        return date_format(local, "DATETIME_FORMAT")

    @admin.display(description=_("event"))
    def what(self, obj):
        """The event in the staff member's language (labels are translated when shown)."""
        if obj.kind == ApplicationEvent.Kind.STATUS and obj.to_status:
            if obj.from_status:
                return f"{Status(obj.from_status).label} → {Status(obj.to_status).label}"
            return Status(obj.to_status).label
        return obj.get_kind_display()


class AttachmentInline(ReadOnlyInline, admin.TabularInline):
    """The applicant's files, downloaded through the admin's scoped view (AttachmentDownloadMixin)."""

    model = Attachment
    fields = ["download", "uploaded_by", "uploaded_at"]

    @admin.display(description=_("file"))
    def download(self, obj):
        opts = self.parent_model._meta
        url = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_attachment",
            args=[obj.application_id, obj.pk],
        )
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class AttachmentDownloadMixin:
    """The download view behind AttachmentInline, through the admin's scoped queryset: staff of
    another tenant or branch, or of an admin filtered to other kinds, get a 404."""

    def get_urls(self):
        opts = self.model._meta
        download = self.admin_site.admin_view(self.attachment_view)
        return [
            path(
                "<int:pk>/attachments/<int:attachment_pk>/",
                download,
                name=f"{opts.app_label}_{opts.model_name}_attachment",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, pk, attachment_pk):
        application = self.get_queryset(request).filter(pk=pk).first()
        if application is None or not self.has_view_or_change_permission(request, application):
            raise Http404
        item = Attachment.objects.filter(application=application, pk=attachment_pk).first()
        if item is None:
            raise Http404
        # The one download rule: verified staff of the application's tenant and branch.
        require_download(request, tenant=application.tenant_id, branch=application.branch_id, owned=False)
        # Attachment, nosniff, a server-made name: the one private download response.
        return private_file_response(item.file, filename=f"{application.number}-{item.pk}{extension_of(item.file)}")


@admin.register(Application)
class ApplicationAdmin(ApplicationActionsMixin, AttachmentDownloadMixin, TenantScopedAdmin):
    branch_path = "branch"
    list_display = ["number", "kind", "status", "account", "branch", "assigned_to", "due_on", "overdue"]
    list_filter = ["status", "branch", "kind", OverdueFilter, AssigneeFilter]
    list_select_related = ["kind", "account", "branch", "assigned_to"]
    search_fields = ["number", "account__code", "applicant__email"]
    date_hierarchy = "submitted_at"
    inlines = [AttachmentInline, TimelineInline]
    actions = ["assign_to_me", "start_review", "ask_for_information", "reject"]
    fieldsets = [
        (None, {"fields": ["number", "kind", "status", "decision_reason", "due_on", "closed_at"]}),
        (
            _("Applicant"),
            {
                "fields": [
                    "applicant",
                    "applicant_identity",
                    "organization",
                    "account",
                    "contact_phone",
                    "contact_email",
                    "notes",
                    "language",
                ]
            },
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

    @admin.display(description=_("identity"))
    def applicant_identity(self, obj):
        """What a state login verified about the applicant (issue #13), or that nothing was."""
        details = PersonalDetails.objects.filter(user_id=obj.applicant_id).first()
        if details is None or not details.is_verified:
            return _("Not verified by a state login")
        return _("%(name)s, personal identification number %(number)s: verified by %(provider)s") % {
            "name": details.display_name,
            "number": details.personal_id_number or "—",
            "provider": details.verified_by,
        }

    @admin.display(boolean=True, description=_("overdue"))
    def overdue(self, obj):
        return not obj.is_closed and obj.due_on < timezone.localdate()

    def change_status(self, application, **kwargs):
        # A kind with its own review does more than change the status (W1's reject closes the
        # submitted readings and the on-site check): a plain change here would leave those open.
        # Its own admin (a subclass of this one for the W4 requests) may.
        registered = kinds.find(application.kind.code)
        if registered is not None and registered.has_own_review and registered.admin_model != self.model._meta.label:
            reviewed_in = apps.get_model(registered.admin_model)._meta.verbose_name_plural
            raise ValidationError(
                _("Applications of this kind are decided under “%(admin)s”; nothing was changed here."),
                code="reviewed_elsewhere",
                params={"admin": str(reviewed_in).capitalize()},
            )
        return super().change_status(application, **kwargs)


@admin.register(ApplicationKind)
class ApplicationKindAdmin(TenantScopedAdmin):
    list_display = ["name", "code", "tenant", "due_working_days", "is_active"]
    list_filter = ["tenant", "is_active"]
    list_editable = ["due_working_days", "is_active"]
    search_fields = ["name", "code"]
