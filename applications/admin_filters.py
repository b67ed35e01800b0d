"""Queue filters every staged kind's admin shares (W2, W3): by stage and by lateness of the
running stage's clock on the tenant calendar."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import clocks, kinds


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
        # One date for the whole queue: staff may see several tenants, which share a time zone
        # in practice (a day's difference at midnight only moves a row between the filters).
        today = timezone.localdate()
        if self.value() == "due_today":
            return queryset.filter(clocks.due_today_filter(today))
        if self.value() == "overdue":
            return queryset.filter(clocks.overdue_filter(today))
        return queryset
