"""Queue filters every staged kind's admin shares (W2, W3): by stage and by lateness of the
running stage's clock on the tenant calendar."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications import clocks, kinds
from portal.admin_site import staff_scope
from portal.models import Tenant


def stage_filter(kind_code, application_path=""):
    """A list filter over the stages of ``kind_code``, in the kind's order. ``application_path``
    leads from the listed model to its application (empty for applications, "application" for a
    case that is one-to-one with its application)."""
    prefix = f"{application_path}__" if application_path else ""

    class StageFilter(admin.SimpleListFilter):
        title = _("stage")
        parameter_name = "stage"

        def lookups(self, request, model_admin):
            return [(stage.code, stage.label) for stage in kinds.get(kind_code).stages]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{f"{prefix}stage": self.value()})
            return queryset

    return StageFilter


class ClockFilter(admin.SimpleListFilter):
    """Due today / overdue, by the running stage's legal date (paused clocks are not late)."""

    title = _("legal date")
    parameter_name = "clock"
    # From the listed model to its application: see clock_filter().
    application_path = ""

    def lookups(self, request, model_admin):
        return [("due_today", _("Due today")), ("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        conditions = {"due_today": clocks.due_today_filter, "overdue": clocks.overdue_filter}
        condition = conditions.get(self.value())
        if condition is None:
            return queryset
        path = self.application_path
        ref = path or "pk"
        tenant_field = f"{path}__tenant_id" if path else "tenant_id"
        return queryset.filter(
            _on_each_tenants_today(request, lambda today: condition(today, ref), tenant_field=tenant_field)
        )


def clock_filter(application_path):
    """ClockFilter for a model that leads to its application through ``application_path``."""
    return type("CaseClockFilter", (ClockFilter,), {"application_path": application_path})


def _on_each_tenants_today(request, condition, *, tenant_field="tenant_id"):
    """``condition(today)`` with each tenant's own today (its time zone, as every deadline is
    counted), for the tenants the staff user sees (all of them for a superuser)."""
    tenants = Tenant.objects.all()
    if not request.user.is_superuser:
        tenants = tenants.filter(pk__in=list(staff_scope(request)))
    combined = Q(pk__in=[])
    for tenant in tenants:
        combined |= Q(**{tenant_field: tenant.pk}) & condition(tenant.today())
    return combined
