"""Staff corrections of the working-day calendar: single days, transfers of a day off, and a
preview of the year as the deadlines will see it."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.admin_site import TenantScopedAdmin, staff_scope
from portal.models import CalendarDay, Tenant
from portal.workdays import calendar_for, transfer_day_off

# Shown on every calendar page: the holiday data is known to be incomplete here
# (shared/reference/domain-figures.md, vacanza/holidays #432).
DATA_GAPS_NOTE = _(
    "Public holidays come from the holidays data for the tenant's country. That data has Azerbaijan's "
    "decreed swaps of working days and days off only up to 2025, and Russia's transfers are published "
    "year by year: enter each new decree here (“Transfer a day off”) and check the year's "
    "calendar preview when the government publishes it."
)


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


def tenants_of(request):
    """The tenants whose calendar this staff member may see or correct."""
    if request.user.is_superuser:
        return Tenant.objects.all()
    return Tenant.objects.filter(pk__in=list(staff_scope(request)))


class TenantChoiceMixin:
    """A tenant field limited to the staff member's tenants, dropped when there is only one."""

    def __init__(self, *args, tenants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = tenants
        self.single_tenant = tenants.first() if tenants.count() == 1 else None
        if self.single_tenant is not None:
            del self.fields["tenant"]

    def chosen_tenant(self):
        return self.single_tenant or self.cleaned_data["tenant"]


class TransferForm(TenantChoiceMixin, forms.Form):
    tenant = forms.ModelChoiceField(label=_("Tenant"), queryset=Tenant.objects.none())
    from_date = forms.DateField(
        label=_("Day off that becomes a working day"),
        widget=AdminDateWidget,
        help_text=_("Usually a Saturday or Sunday, e.g. 2026-06-20."),
    )
    to_date = forms.DateField(
        label=_("Working day that becomes a day off"),
        widget=AdminDateWidget,
        help_text=_("The day the rest moves to, e.g. 2026-06-22."),
    )
    reason = forms.CharField(
        label=_("Decree or reason"),
        max_length=200,
        help_text=_("Shown on both days, e.g. the number and date of the government decision."),
    )


class PreviewForm(TenantChoiceMixin, forms.Form):
    tenant = forms.ModelChoiceField(label=_("Tenant"), queryset=Tenant.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class CalendarDayForm(forms.ModelForm):
    """Checks one correction per tenant and day even when the tenant field is hidden.

    Django skips a unique constraint whose fields are not all on the form, so staff of one tenant
    (whose form has no tenant field) would otherwise hit a database error on a duplicate day.
    """

    scope_tenant_id = None  # set by the admin for staff of exactly one tenant

    def clean(self):
        cleaned = super().clean()
        if "tenant" not in self.fields:
            tenant_id = self.instance.tenant_id or self.scope_tenant_id
            day = cleaned.get("date")
            duplicates = CalendarDay.objects.filter(tenant_id=tenant_id, date=day).exclude(pk=self.instance.pk)
            if tenant_id and day and duplicates.exists():
                self.add_error("date", _("There is already a correction on this day; change that one instead."))
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(TenantScopedAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "name", "tenant"]
    list_filter = ["tenant", "kind", YearListFilter]
    search_fields = ["name"]
    list_select_related = ["tenant"]
    ordering = ["-date"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        scope = staff_scope(request)
        if not request.user.is_superuser and len(scope) == 1:
            form = type(form.__name__, (form,), {"scope_tenant_id": next(iter(scope))})
        return form

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return date_format(obj.date, "l")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("transfer/", view(self.transfer_view), name="portal_calendarday_transfer"),
            path("preview/", view(self.preview_view), name="portal_calendarday_preview"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "data_gaps_note": DATA_GAPS_NOTE}
        return super().changelist_view(request, extra_context)

    def _page_context(self, request, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "data_gaps_note": DATA_GAPS_NOTE,
            "has_add_permission": self.has_add_permission(request),
        }

    def transfer_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TransferForm(request.POST or None, tenants=tenants_of(request))
        if request.method == "POST" and form.is_valid():
            tenant = form.chosen_tenant()
            data = form.cleaned_data
            try:
                transfer_day_off(
                    tenant=tenant, from_date=data["from_date"], to_date=data["to_date"], reason=data["reason"]
                )
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("%(from)s is now a working day and %(to)s a day off.")
                    % {"from": date_format(data["from_date"]), "to": date_format(data["to_date"])},
                    messages.SUCCESS,
                )
                url = reverse("admin:portal_calendarday_changelist")
                return HttpResponseRedirect(f"{url}?year={data['from_date'].year}")
        context = {**self._page_context(request, _("Transfer a day off")), "form": form}
        return TemplateResponse(request, "admin/portal/calendarday/transfer.html", context)

    def preview_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        tenants = tenants_of(request)
        params = request.GET.copy()
        params.setdefault("year", str(timezone.localdate().year))
        form = PreviewForm(params, tenants=tenants)
        if "tenant" in form.fields and "tenant" not in request.GET:
            # Staff of several tenants (and superusers) pick one first; no errors on the first visit.
            form = PreviewForm(initial={"year": params["year"]}, tenants=tenants)
        rows, tenant = [], None
        if form.is_bound and form.is_valid():
            tenant = form.chosen_tenant()
            rows = [
                {"deviation": row, "weekday": date_format(row.date, "l")}
                for row in calendar_for(tenant).deviations(form.cleaned_data["year"])
            ]
        context = {**self._page_context(request, _("Calendar preview")), "form": form, "rows": rows, "tenant": tenant}
        return TemplateResponse(request, "admin/portal/calendarday/preview.html", context)
