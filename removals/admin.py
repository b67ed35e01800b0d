"""Staff side of W3: the queue of cases (by stage, branch, reason, due today / overdue) and one
page per step of the custody chain asking for what that step needs; the services do the rest."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from applications import clocks
from applications.admin_filters import clock_filter, stage_filter
from meters.models import Meter, SubscriberAccount
from portal.admin_site import TenantScopedAdmin
from removals import admin_forms, services
from removals.kinds import METER_REMOVAL, StageCode
from removals.models import Act, ActTemplate, Appointment, MeterPrice, MeterRemoval, RemovalSettings


def _removal(request, form, removal):
    data = form.cleaned_data
    replacement = None
    if data.get("new_serial"):
        replacement = services.NewMeter(
            serial_number=data["new_serial"],
            model=data.get("new_model") or "",
            opening_reading=data["new_reading"],
            seal_number=data.get("new_seal") or "",
        )
    return services.record_removal(
        removal=removal,
        actor=request.user,
        removed_at=data["removed_at"],
        reading=data.get("reading"),
        seals=data.get("seals") or "",
        consumer_present=data["consumer_present"],
        bag_number=data.get("bag_number") or "",
        photos=[data["photo"]] if data.get("photo") else [],
        replacement=replacement,
    )


# code: (button label, form, run(request, form, removal), stages it is offered in (None: any open stage))
STEPS = {
    "removal": (_("Record the removal"), admin_forms.RemovalForm, _removal, {StageCode.REGISTERED}),
    "suspend": (
        _("Suspend the supply"),
        admin_forms.SuspendForm,
        lambda r, f, c: services.suspend_supply(removal=c, actor=r.user, reason=f.cleaned_data["reason"]),
        None,
    ),
    "delivery": (
        _("Record the delivery to the lab"),
        admin_forms.DeliveryForm,
        lambda r, f, c: services.record_delivery(removal=c, actor=r.user, **f.cleaned_data),
        {StageCode.REMOVED},
    ),
    "intake": (
        _("Record the intake check"),
        admin_forms.IntakeForm,
        lambda r, f, c: services.record_intake(removal=c, actor=r.user, **f.cleaned_data),
        {StageCode.REMOVED, StageCode.AT_LAB},
    ),
    "verification": (
        _("Record the verification result"),
        admin_forms.VerificationForm,
        lambda r, f, c: services.record_verification(removal=c, actor=r.user, **f.cleaned_data),
        {StageCode.AT_LAB},
    ),
    "acts": (
        _("Draw up the notice and opinion (§2.5)"),
        admin_forms.ConfirmForm,
        lambda r, f, c: services.issue_acts(removal=c, actor=r.user),
        {StageCode.VERIFIED},
    ),
    "damages": (
        _("Charge the damages (§2.7)"),
        admin_forms.ConfirmForm,
        lambda r, f, c: services.charge_damages(removal=c, actor=r.user),
        {StageCode.ACTS_ISSUED},
    ),
    "warn": (
        _("Warn of the unpaid damages"),
        admin_forms.ConfirmForm,
        lambda r, f, c: services.warn_unpaid_damages(removal=c),
        {StageCode.DAMAGES},
    ),
    "enforce": (
        _("Draw up the §2.8 act and suspend the supply"),
        admin_forms.ConfirmForm,
        lambda r, f, c: services.enforce_unpaid_damages(removal=c, actor=r.user),
        {StageCode.DAMAGES},
    ),
    "payment": (
        _("Record a payment of the damages"),
        admin_forms.PaymentForm,
        lambda r, f, c: services.record_damages_payment(removal=c, actor=r.user, **f.cleaned_data),
        {StageCode.DAMAGES, StageCode.ENFORCED},
    ),
    "restore": (
        _("Restore the supply"),
        admin_forms.RestoreForm,
        lambda r, f, c: services.restore_supply(removal=c, actor=r.user, note=f.cleaned_data["note"]),
        None,
    ),
    "appointment": (
        _("Plan a stage's date and place"),
        admin_forms.AppointmentForm,
        lambda r, f, c: services.plan_appointment(removal=c, actor=r.user, **f.cleaned_data),
        None,
    ),
    "close": (
        _("Close the case"),
        admin_forms.CloseForm,
        lambda r, f, c: services.close_case(removal=c, actor=r.user, note=f.cleaned_data["note"]),
        {StageCode.ACTS_ISSUED, StageCode.DAMAGES, StageCode.ENFORCED},
    ),
}


class ActInline(admin.TabularInline):
    model = Act
    fields = ["number", "kind", "issued_on", "download"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def download(self, act):
        # The consumer's download view also serves verified staff of the case's branch.
        url = act.tenant.absolute_url("removals:act_pdf", number=act.removal.application.number, pk=act.pk)
        return format_html('<a href="{}">{}</a>', url, _("Download"))


class AppointmentInline(admin.TabularInline):
    model = Appointment
    fields = ["stage", "planned_at", "place", "attended"]
    readonly_fields = ["stage", "planned_at", "place"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MeterRemoval)
class MeterRemovalAdmin(TenantScopedAdmin):
    branch_path = "application__branch"
    list_display = ["number", "account", "meter", "reason", "stage", "branch", "due_on", "late"]
    list_filter = [
        stage_filter(METER_REMOVAL, application_path="application"),
        clock_filter("application"),
        "application__branch",
        "reason",
        "channel",
    ]
    list_select_related = ["application", "application__kind", "application__branch", "application__account", "meter"]
    search_fields = ["application__number", "application__account__code", "meter__serial_number"]
    inlines = [ActInline, AppointmentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "next_steps",
                    "stage_timeline",
                    "reason",
                    "channel",
                    "reporter_name",
                    "requested_by_consumer",
                    "natural_disaster",
                    "attendance_requested",
                ]
            },
        ),
        (
            _("Removal record"),
            {
                "fields": [
                    "meter",
                    "removed_at",
                    "removal_reading",
                    "removal_seals",
                    "consumer_present",
                    "bag_number",
                    "replacement_meter",
                ]
            },
        ),
        (
            _("Custody chain"),
            {"fields": ["delivered_on", "intake_on", "intake_reading", "intake_seals", "intake_mismatch"]},
        ),
        (
            _("Verification"),
            {
                "fields": [
                    "result",
                    "verified_on",
                    "certificate_number",
                    "valid_until",
                    "verifier_name",
                    "verification_remarks",
                ]
            },
        ),
        (_("Money"), {"fields": ["fee_invoice", "damages_invoice", "damages_warned_on"]}),
    ]
    readonly_fields = [field for _title, options in fieldsets for field in options["fields"]]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("number"), ordering="application__number")
    def number(self, obj):
        return obj.application.number

    @admin.display(description=_("subscriber account"))
    def account(self, obj):
        return obj.application.account.code

    @admin.display(description=_("stage"))
    def stage(self, obj):
        return clocks.stage_label(obj.application)

    @admin.display(description=_("branch"))
    def branch(self, obj):
        return obj.application.branch

    @admin.display(description=_("legal date"), ordering="application__due_on")
    def due_on(self, obj):
        return "—" if obj.application.is_closed else obj.application.due_on

    @admin.display(description=_("late"), boolean=True)
    def late(self, obj):
        return not obj.application.is_closed and obj.application.due_on < timezone.localdate()

    @admin.display(description=_("stages and legal dates"))
    def stage_timeline(self, obj):
        return render_to_string(
            "applications/includes/stage_timeline.html", {"stages": clocks.timeline(obj.application)}
        )

    @admin.display(description=_("next steps"))
    def next_steps(self, obj):
        if obj.application.is_closed:
            return _("The case is closed.")
        stage = obj.application.stage
        offered = [(code, spec[0]) for code, spec in STEPS.items() if spec[3] is None or stage in spec[3]]
        return format_html_join(
            " ",
            '<a class="button" href="{}">{}</a>',
            ((reverse("admin:removals_meterremoval_step", args=[obj.pk, code]), label) for code, label in offered),
        )

    # -- pages -----------------------------------------------------------------------------------

    def get_urls(self):
        step = self.admin_site.admin_view(self.step_view)
        return [path("<int:pk>/step/<str:step>/", step, name="removals_meterremoval_step"), *super().get_urls()]

    def _page(self, request, *, title, form, removal=None, explanation=""):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "removal": removal,
            "explanation": explanation,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "removals/admin/step.html", context)

    def step_view(self, request, pk, step):
        removal = self.get_queryset(request).select_related("application").filter(pk=pk).first()
        if removal is None or step not in STEPS or not self.has_change_permission(request, removal):
            return redirect("admin:removals_meterremoval_changelist")
        title, form_class, run, _stages = STEPS[step]
        with timezone.override(removal.tenant.timezone):
            form = form_class(request.POST or None, request.FILES or None)
            if request.method == "POST" and form.is_valid():
                try:
                    run(request, form, removal)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(request, _("Done: %(step)s.") % {"step": title}, messages.SUCCESS)
                    return redirect("admin:removals_meterremoval_change", removal.pk)
            return self._page(request, title=title, form=form, removal=removal)

    def add_view(self, request, form_url="", extra_context=None):
        """Open a case: the account and its meter by their numbers, in the staff's tenant."""
        form = admin_forms.OpenCaseAdminForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            accounts = SubscriberAccount.objects.filter(self._account_scope(request), code=data["account_code"].strip())
            account = accounts.select_related("tenant", "branch").first()
            meter = (
                Meter.objects.filter(account=account, serial_number=data["serial_number"].strip()).first()
                if account is not None
                else None
            )
            if account is None:
                form.add_error("account_code", _("No account with this subscriber code."))
            elif meter is None:
                form.add_error("serial_number", _("The account has no meter with this factory number."))
            else:
                try:
                    removal, _created = services.open_case(
                        account=account,
                        meter=meter,
                        reason=data["reason"],
                        channel=data["channel"],
                        actor=request.user,
                        idempotency_key=data["idempotency_key"],
                        reporter_name=data["reporter_name"],
                        requested_by_consumer=data["requested_by_consumer"],
                        natural_disaster=data["natural_disaster"],
                        attendance_requested=data["attendance_requested"],
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request, _("Case %(number)s is registered.") % {"number": removal.application.number}
                    )
                    return redirect("admin:removals_meterremoval_change", removal.pk)
        return self._page(request, title=_("Open a meter removal case"), form=form)

    def _account_scope(self, request):
        from portal.admin_site import staff_scope_q

        return staff_scope_q(request, branch_path="branch")


@admin.register(MeterPrice)
class MeterPriceAdmin(TenantScopedAdmin):
    list_display = ["meter_type", "verification_fee", "meter_value", "installation_cost", "source"]
    search_fields = ["meter_type"]


@admin.register(ActTemplate)
class ActTemplateAdmin(TenantScopedAdmin):
    list_display = ["kind", "language", "title"]
    list_filter = ["kind", "language"]


@admin.register(RemovalSettings)
class RemovalSettingsAdmin(TenantScopedAdmin):
    list_display = ["tenant", "damages_payment_days", "lab_name"]
