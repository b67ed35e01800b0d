from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_site import TenantScopedAdmin, staff_scope
from portal.models import Branch, StaffMembership, Tenant


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "domain", "country_code", "default_language", "currency", "is_active"]
    list_filter = ["country_code", "is_active"]
    search_fields = ["name", "slug", "domain"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "domain", "is_active"]}),
        (_("Name in each language"), {"fields": ["name_az", "name_ru", "name_uz", "name_en"]}),
        (_("Region"), {"fields": ["country_code", "default_language", "timezone", "currency"]}),
        (_("E-services"), {"fields": ["workflows", "show_holder_details"]}),
        (
            _("Branding and contacts"),
            {"fields": ["logo", "brand_colour", "contact_phone", "contact_email", "address", "website"]},
        ),
        (
            _("Requisites on invoices"),
            {
                "fields": [
                    "legal_name",
                    "tax_number",
                    "bank_name",
                    "bank_code",
                    "bank_account",
                    "correspondent_account",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=list(staff_scope(request)))

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # Staff may edit their company's branding and contacts, not its identity.
        if request.user.is_superuser:
            return []
        return ["slug", "domain", "is_active", "country_code", "workflows", "show_holder_details"]


@admin.register(Branch)
class BranchAdmin(TenantScopedAdmin):
    list_display = ["name", "code", "tenant", "region", "short_lab_delivery_term"]
    list_filter = ["tenant", "short_lab_delivery_term"]
    search_fields = ["name", "code", "region"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(TenantScopedAdmin):
    list_display = ["user", "tenant", "role"]
    list_filter = ["tenant", "role"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["branches"]
