"""The staff admin: an OTP admin site (a TOTP or backup code is required) and the base class
that keeps staff inside their tenant and branches."""

from django import forms
from django.contrib import admin
from django.contrib.admin.filters import RelatedOnlyFieldListFilter
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from portal.admin_params import ChangelistParamsMixin

# One answer for every refusal: a wrong password, a wrong or missing code, a user without a
# device, a throttled device. A message (or a field) that only a right password gets would tell
# an attacker that he has the password.
LOGIN_REFUSED = _("Please enter the correct e-mail address, password and code of a staff account.")

AUTHENTICATOR = "totp"
BACKUP_CODE = "static"


class StaffLoginForm(OTPAdminAuthenticationForm):
    """E-mail, password and the code in one submit, one form and one message for every refusal.

    django-otp's form adds a list of the user's devices, and renders the password back, once the
    password is right; ours shows everyone the same two choices (the authenticator app, the
    default, or a backup code) and never renders the password. The device is the user's
    confirmed device of the chosen type; throttling stays per device.
    """

    # A CharField, not a ChoiceField: a script that posts a device's persistent id (as django-otp's
    # own form does) still works, and an unknown value is refused like a wrong code.
    otp_device = forms.CharField(
        label=_("OTP Device"),
        required=False,
        widget=forms.Select(choices=[(AUTHENTICATOR, _("Authenticator app")), (BACKUP_CODE, _("Backup code"))]),
    )
    otp_token = forms.CharField(
        label=_("OTP Token"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        "invalid_login": LOGIN_REFUSED,
        "inactive": LOGIN_REFUSED,
    }
    otp_error_messages = dict.fromkeys(OTPAdminAuthenticationForm.otp_error_messages, LOGIN_REFUSED)

    def _chosen_device(self, user):
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        chosen = self.cleaned_data.get("otp_device")
        if chosen in ("", AUTHENTICATOR, BACKUP_CODE):
            model = StaticDevice if chosen == BACKUP_CODE else TOTPDevice
            return model.objects.devices_for_user(user, confirmed=True).first()
        return super()._chosen_device(user)  # a persistent id: only one of this user's devices

    def _handle_challenge(self, device):
        # Neither device type sends a challenge; the button is not offered.
        raise forms.ValidationError(LOGIN_REFUSED, code="invalid_login")

    def _update_form(self, user):
        """django-otp fills the device list and sets the password to render back here, for a user
        whose password was right: neither, ever."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            # Some django-otp messages (the throttle's) are raised without our codes.
            raise forms.ValidationError(LOGIN_REFUSED, code="invalid_login") from error


class PortalAdminSite(OTPAdminSite):
    login_form = StaffLoginForm
    login_template = "admin/portal/login.html"

    site_header = _("Abonent — staff")
    site_title = _("Abonent staff")
    index_title = _("Review and administration")


def staff_scope(request):
    """{tenant_id: set of branch ids, empty = all branches} for the staff user; cached per request."""
    if not request.user.is_authenticated:
        return {}  # the admin's login page builds the app list for the anonymous visitor too
    if not hasattr(request, "_staff_scope"):
        from portal.models import StaffMembership

        scope = {}
        memberships = StaffMembership.objects.filter(user=request.user).prefetch_related("branches")
        for membership in memberships:
            scope[membership.tenant_id] = {branch.pk for branch in membership.branches.all()}
        request._staff_scope = scope
    return request._staff_scope


def staff_scope_q(request, *, tenant_path="tenant", branch_path=None):
    """The rows the staff user may see: his tenants' rows, only his branches' where he is limited
    to some (``branch_path`` is the lookup to the row's branch); every row for a superuser."""
    if request.user.is_superuser:
        return Q()
    condition = Q(pk__in=[])
    for tenant_id, branch_ids in staff_scope(request).items():
        part = Q(**{tenant_path: tenant_id})
        if branch_path and branch_ids:
            part &= Q(**{f"{branch_path}__in": branch_ids})
        condition |= part
    return condition


def is_tenant_owned(model):
    return any(f.name == "tenant" and f.is_relation for f in model._meta.get_fields())


class TenantScopedAdmin(ChangelistParamsMixin, admin.ModelAdmin):
    """Base admin for tenant-owned models.

    ``tenant_path`` is the lookup from the model to its tenant; ``branch_path`` (optional) the
    lookup to its branch, for staff restricted to some branches. Superusers see every tenant.
    """

    tenant_path = "tenant"
    branch_path = None

    def scope_q(self, request):
        return staff_scope_q(request, tenant_path=self.tenant_path, branch_path=self.branch_path)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self.scope_q(request))

    def get_list_filter(self, request):
        # Related filters offer only values present in the scoped queryset, never other tenants'.
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and "__" not in item:
                field = self.model._meta.get_field(item)
                if field.is_relation:
                    item = (item, RelatedOnlyFieldListFilter)
            filters.append(item)
        return filters

    def _limit_related(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        tenant_ids = list(staff_scope(request))
        from portal.models import Tenant

        if queryset.model is Tenant:
            return queryset.filter(pk__in=tenant_ids)
        if is_tenant_owned(queryset.model):
            return queryset.filter(tenant_id__in=tenant_ids)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self._limit_related(request, formfield.queryset)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self._limit_related(request, formfield.queryset)
        return formfield

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self.tenant_path == "tenant" and not request.user.is_superuser and len(staff_scope(request)) == 1:
            exclude.append("tenant")
        return exclude

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        scope = staff_scope(request)
        if self.tenant_path != "tenant" or request.user.is_superuser or len(scope) != 1:
            return form
        tenant_id = next(iter(scope))

        class TenantSetForm(form):
            # The tenant field is hidden for single-tenant staff; set it before model validation
            # and keep it in the checks, so "unique per tenant" is a form error, not a 500.
            def _post_clean(self):
                if not getattr(self.instance, "tenant_id", None):
                    self.instance.tenant_id = tenant_id
                super()._post_clean()

            def _get_validation_exclusions(self):
                exclusions = super()._get_validation_exclusions()
                exclusions.discard("tenant")
                return exclusions

        return TenantSetForm

    def save_model(self, request, obj, form, change):
        if self.tenant_path == "tenant" and not getattr(obj, "tenant_id", None):
            scope = staff_scope(request)
            if len(scope) == 1:
                obj.tenant_id = next(iter(scope))
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return request.user.is_superuser or (bool(staff_scope(request)) and super().has_module_permission(request))


class TenantScopedInline(admin.TabularInline):
    """Inline whose foreign-key choices stay inside the staff member's tenants."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset") and not request.user.is_superuser:
            if is_tenant_owned(formfield.queryset.model):
                formfield.queryset = formfield.queryset.filter(tenant_id__in=list(staff_scope(request)))
        return formfield
