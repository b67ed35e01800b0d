"""Staff side of the master data: subscriber accounts with their meters, and the append-only
reading history (corrections supersede, never overwrite)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from meters import services
from meters.models import Meter, Reading, SubscriberAccount
from portal.admin_site import TenantScopedAdmin, TenantScopedInline
from portal.forms import DateInput


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


class SubscriberAccountForm(forms.ModelForm):
    """The account, plus staff confirmation of holders: an explicit act, one user at a time, written
    to the account's history ("Added holder …", "Deleted holder …")."""

    confirm_holder = forms.EmailField(
        label=_("Confirm a holder (portal e-mail)"),
        required=False,
        help_text=_(
            "Only after checking the person's identity and right to the account (e.g. a document at the "
            "office). He will see the account's page, invoices and consumption."
        ),
    )
    remove_holders = forms.ModelMultipleChoiceField(
        label=_("Remove holders"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("E.g. after the flat is sold; rotate the access code as well."),
    )

    class Meta:
        model = SubscriberAccount
        # Holders and the access code are changed only through the fields and the action here.
        fields = [
            "tenant",
            "code",
            "holder_name",
            "holder_id_number",
            "address",
            "branch",
            "category",
            "organization",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["remove_holders"].queryset = self.instance.users.order_by("email")
        else:
            del self.fields["remove_holders"]

    def clean_confirm_holder(self):
        email = self.cleaned_data["confirm_holder"]
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("No active portal user has this e-mail."), code="unknown_user")
        return user


HOLDER_FIELDS = ("confirm_holder", "remove_holders")
# The history translates the name when it shows the entry.
HOLDER = gettext_noop("holder")


@admin.register(SubscriberAccount)
class SubscriberAccountAdmin(TenantScopedAdmin):
    form = SubscriberAccountForm
    branch_path = "branch"
    list_display = ["code", "holder_name", "address", "branch", "category", "is_active"]
    list_filter = ["branch", "category", "is_active"]
    list_select_related = ["branch"]
    search_fields = ["code", "holder_name", "address"]
    inlines = [MeterInline]
    readonly_fields = ["users_with_access", "access_code_shown"]
    raw_id_fields = ["organization"]
    actions = ["rotate_access_code"]

    @admin.display(description=_("users with access"))
    def users_with_access(self, obj):
        # Holders prove it with the access code on "Add an account", or staff confirm them below.
        users = obj.users.all() if obj.pk else []
        return format_html_join(", ", "{} &lt;{}&gt;", ((user.full_name, user.email) for user in users)) or "—"

    @admin.display(description=_("access code"))
    def access_code_shown(self, obj):
        return obj.access_code_display if obj.pk else "—"

    @admin.action(description=_("Rotate access code"), permissions=["change"])
    def rotate_access_code(self, request, queryset):
        accounts = list(queryset)
        for account in accounts:
            account.rotate_access_code()
            self.log_change(request, account, [{"changed": {"fields": ["access code"]}}])
        count = len(accounts)
        self.message_user(
            request,
            ngettext(
                "%(count)d account has a new access code; invoices formed from now on show it.",
                "%(count)d accounts have a new access code; invoices formed from now on show it.",
                count,
            )
            % {"count": count},
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account = form.instance
        form.holders_added, form.holders_removed = [], []
        user = form.cleaned_data.get("confirm_holder")
        if user is not None and not account.users.filter(pk=user.pk).exists():
            account.users.add(user)
            form.holders_added.append(user)
        removed = list(form.cleaned_data.get("remove_holders") or [])
        if removed:
            account.users.remove(*removed)
            form.holders_removed = removed

    def construct_change_message(self, request, form, formsets, add=False):
        for name in HOLDER_FIELDS:  # told below, by name, rather than as "changed a field"
            if name in form.changed_data:
                form.changed_data.remove(name)
        message = super().construct_change_message(request, form, formsets, add)
        for user in getattr(form, "holders_added", []):
            message.append({"added": {"name": HOLDER, "object": f"{user.full_name} <{user.email}>"}})
        for user in getattr(form, "holders_removed", []):
            message.append({"deleted": {"name": HOLDER, "object": f"{user.full_name} <{user.email}>"}})
        return message

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
    reading_date = forms.DateField(label=_("Reading date"), widget=DateInput())


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
