"""Queue filters every staged kind's admin shares (W2, W3): by stage and by lateness of the
running stage's clock on the tenant calendar."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications import clocks, kinds
from portal.admin_site import staff_scope
from portal.models import Tenant


def stage_filter(kind_code):
    """A list filter over the stages of ``kind_code``, in the kind's order."""

    class StageFilter(admin.SimpleListFilter):
        title = _("stage")
        parameter_name = "stage"

        def lookups(self, request, model_admin):
            return [(stage.code, stage.label) for stage in kinds.get(kind_code).stages]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(stage=self.value())
            return queryset

    return StageFilter


class ClockFilter(admin.SimpleListFilter):
    """Due today / overdue, by the running stage's legal date (paused clocks are not late)."""

    title = _("legal date")
    parameter_name = "clock"

    def lookups(self, request, model_admin):
        return [("due_today", _("Due today")), ("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "due_today":
            return queryset.filter(_on_each_tenants_today(request, clocks.due_today_filter))
        if self.value() == "overdue":
            return queryset.filter(_on_each_tenants_today(request, clocks.overdue_filter))
        return queryset


def _on_each_tenants_today(request, condition):
    """``condition(today)`` with each tenant's own today (its time zone, as every deadline is
    counted), for the tenants the staff user sees (all of them for a superuser)."""
    tenants = Tenant.objects.all()
    if not request.user.is_superuser:
        tenants = tenants.filter(pk__in=list(staff_scope(request)))
    combined = Q(pk__in=[])
    for tenant in tenants:
        combined |= Q(tenant_id=tenant.pk) & condition(tenant.today())
    return combined
