"""Staff edit the fee schedules: one page per schedule, its rules inline, scoped to the tenant.

Overlapping rules are refused in the inline formset, as the quote would be (connections/fees.py),
so a schedule that would price one request twice is never saved.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from connections.fees import validate_rules
from connections.models import FeeRule, FeeSchedule
from portal.admin_site import TenantScopedAdmin, TenantScopedInline


class FeeRuleFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # The rules as they will be saved: the edited and added ones, not the blank extra rows, not
        # those marked for deletion (a row with its own errors is reported on the row).
        kept = [
            form.instance
            for form in self.forms
            if (form.instance.pk or form.has_changed()) and not self._should_delete_form(form) and not form.errors
        ]
        try:
            validate_rules(kept)
        except ValidationError as error:
            raise ValidationError(error.messages, code="overlapping_rules") from error


class FeeRuleInline(TenantScopedInline):
    model = FeeRule
    formset = FeeRuleFormSet
    extra = 1
    fields = [
        "label",
        "applicant_kind",
        "object_kind",
        "phase",
        "voltage",
        "term",
        "from_kw",
        "to_kw",
        "fixed_amount",
        "per_kw_amount",
        "per_kw_basis",
        "urgent_surcharge",
        "urgent_multiplier",
        "urgent_set_by_staff",
        "distance_rate",
        "distance_free_m",
    ]
    verbose_name_plural = _(
        "rules (a band is above its start and up to its end, inclusive; two rules may not price the same request)"
    )


@admin.register(FeeSchedule)
class FeeScheduleAdmin(TenantScopedAdmin):
    list_display = ["name", "effective_from", "prices_include_vat", "vat_rate", "quote_valid_days", "has_staff_amounts"]
    search_fields = ["name", "source"]
    date_hierarchy = "effective_from"
    inlines = [FeeRuleInline]
    fieldsets = [
        (None, {"fields": ["tenant", "name", "effective_from", "quote_valid_days"]}),
        (_("VAT"), {"fields": ["prices_include_vat", "vat_rate"]}),
        (_("Legal source"), {"fields": ["source"], "description": _("The published decisions the amounts come from.")}),
        (
            _("Set by staff (not published)"),
            {
                "fields": ["staff_notes"],
                "description": _(
                    "Amounts no decision publishes (such as the urgent term's) are set by staff: tick "
                    "“set by staff” on the rule and say here who decided them. Citizens see them marked."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rules")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        excluded = set(self.get_exclude(request, obj) or [])
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in excluded]}) for name, opts in fieldsets
        ]

    @admin.display(boolean=True, description=_("amounts set by staff"))
    def has_staff_amounts(self, schedule):
        return bool(schedule.staff_notes) or any(rule.urgent_set_by_staff for rule in schedule.rules.all())
