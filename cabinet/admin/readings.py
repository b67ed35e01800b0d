"""Staff side of the cabinet's period readings (W5/W4): read-only, with the flags staff should
look at — a reading of a meter whose verification had expired."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cabinet.models import PeriodReading
from portal.admin_site import TenantScopedAdmin

NO_FLAGS = "none"


class FlagFilter(admin.SimpleListFilter):
    title = _("flags")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [*PeriodReading.Flag.choices, (NO_FLAGS, _("No flags"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == NO_FLAGS:
            return queryset.filter(flags=[])
        if value in PeriodReading.Flag.values:
            # A text match on the stored list works on SQLite and PostgreSQL alike.
            return queryset.filter(flags__icontains=f'"{value}"')
        return queryset


@admin.register(PeriodReading)
class PeriodReadingAdmin(TenantScopedAdmin):
    branch_path = "contract__account__branch"
    list_display = ["meter", "contract", "period", "value", "reading_date", "status", "flag_labels", "submitted_at"]
    list_filter = [FlagFilter, "status", "period"]
    list_select_related = ["meter", "contract"]
    search_fields = ["meter__serial_number", "contract__number"]
    date_hierarchy = "period"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("flags"))
    def flag_labels(self, obj):
        labels = dict(PeriodReading.Flag.choices)
        return ", ".join(str(labels.get(code, code)) for code in obj.flags) or "—"
