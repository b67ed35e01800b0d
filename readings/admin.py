"""Staff side of W1: readings applications checked line by line against the database, and the
on-site checks whose reading prevails."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.admin import TimelineInline
from applications.admin_actions import ApplicationActionsMixin
from applications.models import Status
from meters.models import Meter, SubscriberAccount
from portal.admin_site import TenantScopedAdmin
from portal.forms import DateInput
from readings import services
from readings.kinds import METER_READINGS
from readings.models import InspectedReading, OnSiteCheck, ReadingsApplication, SubmittedReading, SubscriberCodeLookup
from readings.selectors import review_rows


@admin.register(ReadingsApplication)
class ReadingsApplicationAdmin(ApplicationActionsMixin, TenantScopedAdmin):
    branch_path = "branch"
    # The decision buttons under the readings post the row to the changelist's actions.
    change_form_template = "readings/admin/change_form.html"
    list_display = [
        "number",
        "status",
        "account",
        "applicant_is_holder",
        "branch",
        "submitted_at",
        "due_on",
        "flag_count",
    ]
    list_filter = ["status", "branch"]
    list_select_related = ["account", "branch"]
    search_fields = ["number", "account__code", "applicant__email"]
    date_hierarchy = "submitted_at"
    inlines = [TimelineInline]
    actions = ["accept", "reject", "send_to_on_site_check"]
    fieldsets = [
        (None, {"fields": ["number", "status", "decision_reason", "due_on", "closed_at"]}),
        (_("Readings against the database"), {"fields": ["readings_review"]}),
        (
            _("Applicant"),
            {
                "fields": [
                    "applicant",
                    "account",
                    "applicant_holding",
                    "contact_phone",
                    "contact_email",
                    "notes",
                    "language",
                ]
            },
        ),
        (_("Handling"), {"fields": ["branch", "assigned_to", "submitted_at"]}),
    ]
    # Decisions go through the actions (services), never through editing the row.
    readonly_fields = [field for _title, options in fieldsets for field in options["fields"]]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(kind__code=METER_READINGS)
            # Flag badges in the list without a query per row.
            .prefetch_related("reading_lines")
            .annotate(
                is_holder=Exists(
                    SubscriberAccount.users.through.objects.filter(
                        subscriberaccount_id=OuterRef("account_id"), user_id=OuterRef("applicant_id")
                    )
                )
            )
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("applicant holds the account"), boolean=True)
    def applicant_is_holder(self, obj):
        return obj.is_holder

    @admin.display(description=_("holder of the account"))
    def applicant_holding(self, obj):
        if obj.is_holder:
            return _("Yes: the applicant holds this account.")
        # Anyone may submit readings for a code; acceptance books them but grants nothing.
        return format_html(
            '<strong class="errornote">{}</strong>',
            _(
                "No: the applicant does not hold this account (a tenant, a relative, or a stranger). Check the "
                "readings against the photos and the history; accepting does not give him access to the account, "
                "and the invoice goes to the holders only."
            ),
        )

    @admin.display(description=_("flags"))
    def flag_count(self, obj):
        return sum(len(line.flags) for line in obj.reading_lines.all()) or "—"

    @admin.display(description=_("readings"))
    def readings_review(self, obj):
        context = {
            "rows": review_rows(obj),
            "application": obj,
            # Accept, Reject and On-site check run the list's actions on this one application.
            "decidable": obj.status in services.DECIDABLE,
        }
        return render_to_string("readings/admin/review_lines.html", context)

    # -- actions: W1's own decisions, which close the lines and the on-site check with the status --

    @admin.action(description=_("Accept the readings (book them and form the invoice)"), permissions=["change"])
    def accept(self, request, queryset):
        return self.confirm_then(
            request,
            queryset,
            title=_("Accept the readings"),
            explanation=_(
                "The readings of the selected applications will be booked, an invoice formed for each and the "
                "result e-mailed to the applicant. Booked readings cannot be taken back."
            ),
            apply=lambda: self.run_for_each(
                request,
                queryset,
                lambda application: services.accept_readings(application=application, actor=request.user),
                lambda n: ngettext("%(n)d application accepted.", "%(n)d applications accepted.", n) % {"n": n},
            ),
        )

    @admin.action(description=_("Reject…"), permissions=["change"])
    def reject(self, request, queryset):
        return self.decide_with_reason(
            request,
            queryset,
            to_status=Status.REJECTED,
            title=_("Reject readings applications"),
            decide=lambda application, reason: services.reject_readings(
                application=application, actor=request.user, reason=reason
            ),
        )

    @admin.action(description=_("Send to an on-site check…"), permissions=["change"])
    def send_to_on_site_check(self, request, queryset):
        return self.decide_with_reason(
            request,
            queryset,
            to_status=Status.ON_SITE_CHECK,
            title=_("Send to an on-site check"),
            decide=lambda application, reason: services.send_to_on_site_check(
                application=application, actor=request.user, reason=reason
            ),
        )


class InspectedReadingInline(admin.TabularInline):
    model = InspectedReading
    fields = ["meter", "value", "seal_number"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # written by record_on_site_check only


class InspectionForm(forms.Form):
    performed_on = forms.DateField(label=_("Performed on"), widget=DateInput())
    note = forms.CharField(label=_("Inspector's note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meters, unlisted=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meters = meters
        # Lines whose factory number the account did not have: the inspector registers the meter.
        self.unlisted = list(unlisted)
        for line in self.unlisted:
            serial = line.entered_serial
            prefix = f"new_{line.pk}"
            self.fields[f"{prefix}_serial"] = forms.CharField(
                label=_("Factory number of the new meter (entered %(serial)s)") % {"serial": serial},
                max_length=40,
                initial=serial,
            )
            self.fields[f"{prefix}_kind"] = forms.ChoiceField(
                label=_("Kind of meter %(serial)s") % {"serial": serial}, choices=Meter.Kind.choices
            )
            self.fields[f"{prefix}_installed_on"] = forms.DateField(
                label=_("Meter %(serial)s installed on") % {"serial": serial}, widget=DateInput()
            )
            self.fields[f"{prefix}_initial"] = forms.DecimalField(
                label=_("Reading of meter %(serial)s at installation") % {"serial": serial},
                max_digits=12,
                decimal_places=3,
                min_value=0,
                initial=0,
            )
            self.fields[f"{prefix}_value"] = forms.DecimalField(
                label=_("Reading of meter %(serial)s") % {"serial": serial},
                max_digits=12,
                decimal_places=3,
                min_value=0,
            )
            self.fields[f"{prefix}_seal"] = forms.CharField(
                label=_("Seal found on meter %(serial)s") % {"serial": serial},
                max_length=40,
                required=False,
                initial=line.entered_seal,
            )
        for meter in meters:
            self.fields[f"value_{meter.pk}"] = forms.DecimalField(
                label=_("Reading of meter %(serial)s") % {"serial": meter.serial_number},
                max_digits=12,
                decimal_places=3,
                min_value=0,
            )
            self.fields[f"seal_{meter.pk}"] = forms.CharField(
                label=_("Seal found on meter %(serial)s") % {"serial": meter.serial_number},
                max_length=40,
                required=False,
                initial=meter.seal_number,
            )

    def readings(self):
        data = self.cleaned_data
        return {meter: (data[f"value_{meter.pk}"], data[f"seal_{meter.pk}"].strip()) for meter in self.meters}

    def new_meters(self):
        data = self.cleaned_data
        return {
            line.pk: services.NewMeter(
                serial_number=data[f"new_{line.pk}_serial"].strip(),
                kind=data[f"new_{line.pk}_kind"],
                installed_on=data[f"new_{line.pk}_installed_on"],
                initial_reading=data[f"new_{line.pk}_initial"],
                value=data[f"new_{line.pk}_value"],
                seal_number=data[f"new_{line.pk}_seal"].strip(),
            )
            for line in self.unlisted
        }


@admin.register(OnSiteCheck)
class OnSiteCheckAdmin(TenantScopedAdmin):
    branch_path = "branch"
    list_display = ["application", "branch", "status", "due_on", "performed_on", "inspector"]
    list_filter = ["status", "branch"]
    list_select_related = ["application", "branch", "inspector"]
    search_fields = ["application__number", "application__account__code"]
    inlines = [InspectedReadingInline]
    fields = [
        "application",
        "branch",
        "reason",
        "requested_by",
        "due_on",
        "status",
        "performed_on",
        "inspector",
        "note",
        "record_link",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # created by "Send to an on-site check" on the application

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("inspection"))
    def record_link(self, obj):
        if obj.status != OnSiteCheck.Status.OPEN:
            return "—"
        url = reverse("admin:readings_onsitecheck_record", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Record the inspection"))

    def get_urls(self):
        record = self.admin_site.admin_view(self.record_view)
        return [path("<int:pk>/record/", record, name="readings_onsitecheck_record"), *super().get_urls()]

    def record_view(self, request, pk):
        check = self.get_queryset(request).select_related("application").filter(pk=pk).first()
        if check is None or not self.has_change_permission(request, check):
            return redirect("admin:readings_onsitecheck_changelist")
        lines = list(check.application.reading_lines.select_related("meter").order_by("meter__serial_number", "pk"))
        meters = [line.meter for line in lines if line.meter_id is not None]
        unlisted = [
            line for line in lines if line.meter_id is None and line.outcome == SubmittedReading.Outcome.PENDING
        ]
        form = InspectionForm(
            request.POST or None, meters=meters, unlisted=unlisted, initial={"performed_on": check.tenant.today()}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.record_on_site_check(
                    check=check,
                    actor=request.user,
                    readings=form.readings(),
                    performed_on=form.cleaned_data["performed_on"],
                    note=form.cleaned_data["note"],
                    new_meters=form.new_meters(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The inspection is recorded and the application executed."))
                return redirect("admin:readings_onsitecheck_change", check.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record the inspection"),
            "check": check,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "readings/admin/record_inspection.html", context)


@admin.register(SubscriberCodeLookup)
class SubscriberCodeLookupAdmin(TenantScopedAdmin):
    """Read-only: what the subscriber-code step refused or could not find, and whose accounts users
    without holding them looked up; many rows from one user or address suggest enumeration."""

    list_display = ["created_at", "code", "outcome", "user", "client_ip"]
    list_filter = ["outcome"]
    list_select_related = ["user"]
    search_fields = ["code", "user__email", "client_ip"]
    fields = ["created_at", "tenant", "code", "outcome", "user", "client_ip"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
