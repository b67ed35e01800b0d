"""Staff side of the master data: subscriber accounts with their meters, and the append-only
reading history (corrections supersede, never overwrite)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from meters import services
from meters.models import Meter, Reading, SubscriberAccount
from portal.admin_site import TenantScopedAdmin, TenantScopedInline


class MeterInline(TenantScopedInline):
    model = Meter
    fk_name = "account"
    fields = [
        "serial_number",
        "seal_number",
        "kind",
        "model",
        "installed_on",
        "initial_reading",
        "verification_due_on",
        "status",
        "replaces",
    ]
    extra = 0


@admin.register(SubscriberAccount)
class SubscriberAccountAdmin(TenantScopedAdmin):
    branch_path = "branch"
    list_display = ["code", "holder_name", "address", "branch", "category", "is_active"]
    list_filter = ["branch", "category", "is_active"]
    list_select_related = ["branch"]
    search_fields = ["code", "holder_name", "address"]
    inlines = [MeterInline]
    # Who may open the account page is shown, not edited here (see users_with_access).
    exclude = ["users"]
    readonly_fields = ["users_with_access"]
    raw_id_fields = ["organization"]

    @admin.display(description=_("users with access"))
    def users_with_access(self, obj):
        # Read-only: access is granted when staff accept one of the user's applications.
        users = obj.users.all() if obj.pk else []
        return format_html_join(", ", "{} &lt;{}&gt;", ((user.full_name, user.email) for user in users)) or "—"

    def save_formset(self, request, form, formset, change):
        for meter in formset.save(commit=False):
            meter.tenant_id = form.instance.tenant_id
            meter.save()
        for meter in formset.deleted_objects:
            meter.delete()
        formset.save_m2m()


@admin.register(Meter)
class MeterAdmin(TenantScopedAdmin):
    branch_path = "account__branch"
    list_display = ["serial_number", "kind", "account", "status", "installed_on", "verification_due_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["account"]
    search_fields = ["serial_number", "seal_number", "account__code"]
    raw_id_fields = ["account", "replaces"]


class CorrectionForm(forms.Form):
    value = forms.DecimalField(label=_("Corrected reading"), max_digits=12, decimal_places=3, min_value=0)
    reading_date = forms.DateField(label=_("Reading date"), widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(Reading)
class ReadingAdmin(TenantScopedAdmin):
    """Read-only history: a correction is a new row superseding the old one ("Correct…")."""

    branch_path = "meter__account__branch"
    list_display = ["meter", "value", "reading_date", "source", "status", "supersedes", "entered_by", "created_at"]
    list_filter = ["source", "status"]
    list_select_related = ["meter", "supersedes", "entered_by"]
    search_fields = ["meter__serial_number", "meter__account__code"]
    date_hierarchy = "reading_date"
    actions = ["correct"]
    fields = ["meter", "value", "reading_date", "source", "status", "supersedes", "entered_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Correct…"), permissions=["change"])
    def correct(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one reading to correct."), messages.WARNING)
            return None
        reading = queryset.select_related("meter").get()
        form = CorrectionForm(
            request.POST if "apply" in request.POST else None,
            initial={"value": reading.value, "reading_date": reading.reading_date},
        )
        if form.is_bound and form.is_valid():
            try:
                services.correct_reading(reading=reading, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The reading is corrected; the old one is kept as superseded."))
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Correct a reading"),
            "reading": reading,
            "form": form,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "meters/admin/correct_reading.html", context)

