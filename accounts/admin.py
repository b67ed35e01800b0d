"""Users and organizations are global (not tenant-owned), so only superusers manage them: staff
of one utility must not browse another utility's citizens."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    ExternalIdentity,
    IdentityProvider,
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
    PersonalDetails,
    User,
)
from portal.admin_site import TenantScopedAdmin


class SuperuserOnlyAdminMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class PersonalDetailsInline(SuperuserOnlyAdminMixin, admin.StackedInline):
    model = PersonalDetails
    can_delete = False
    extra = 0
    readonly_fields = ["verified_by", "verified_at"]


class ExternalIdentityInline(SuperuserOnlyAdminMixin, admin.TabularInline):
    model = ExternalIdentity
    extra = 0
    fields = ["provider", "subject", "linked_at", "last_login_at"]
    readonly_fields = fields


@admin.register(User)
class UserAdmin(SuperuserOnlyAdminMixin, DjangoUserAdmin):
    inlines = [PersonalDetailsInline, ExternalIdentityInline]
    ordering = ["email"]
    list_display = ["email", "full_name", "phone", "is_staff", "email_confirmed", "is_active"]
    # Also used by the staff-membership admin's user autocomplete.
    search_fields = ["email", "full_name", "phone"]
    list_filter = ["is_staff", "is_superuser", "is_active", "email_confirmed"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal data"), {"fields": ["full_name", "phone", "preferred_language", "email_confirmed"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "email_confirmed", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]


class MembershipInline(SuperuserOnlyAdminMixin, admin.TabularInline):
    model = OrganizationMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]


class InvitationInline(SuperuserOnlyAdminMixin, admin.TabularInline):
    model = OrganizationInvitation
    extra = 0
    fields = ["email", "role", "invited_by", "created_at", "accepted_at"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # invitations carry a secret link and are sent by the owner from the portal


@admin.register(Organization)
class OrganizationAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "tax_number", "legal_address", "created_at"]
    search_fields = ["name", "tax_number"]
    fields = ["tax_number", "name", "legal_address", "bank_name", "bank_code", "bank_account"]
    inlines = [MembershipInline, InvitationInline]


@admin.register(IdentityProvider)
class IdentityProviderAdmin(TenantScopedAdmin):
    """State logins a tenant offers. The redirect URL to register with the provider is shown on
    the change page: https://<portal>/<tenant>/accounts/login/with/<short name>/callback/."""

    list_display = ["label", "slug", "protocol", "tenant", "is_active", "strong_authentication"]
    list_filter = ["protocol", "is_active"]
    readonly_fields = ["redirect_url", "updated_at"]
    fieldsets = [
        (None, {"fields": ["tenant", "label", "slug", "logo", "protocol", "is_active"]}),
        (_("Connection"), {"fields": ["discovery_url", "client_id", "client_secret", "scopes", "redirect_url"]}),
        (_("Claims"), {"fields": ["claim_mapping", "asserts_organizations"]}),
        (
            _("Who may use it"),
            {"fields": ["for_citizens", "for_representatives", "for_staff", "strong_authentication"]},
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description=_("redirect URL to register with the provider"))
    def redirect_url(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown once the provider is saved.")
        return obj.tenant.absolute_url("accounts:identity_callback", slug=obj.slug)

