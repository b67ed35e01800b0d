"""Staff side of W2: the queue of connection applications by branch and stage (with the lateness
of the running stage's clock), each request's quote, distance, parcel and centre, and one action
per stage that asks for what the stage needs. The services refuse a step out of order; the
action reports it with the application's number."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications import clocks
from applications.admin import AttachmentDownloadMixin, AttachmentInline, TimelineInline
from applications.admin_actions import ApplicationActionsMixin
from applications.admin_filters import ClockFilter, stage_filter
from applications.models import Status
from billing.models import Payment
from connections.kinds import GRID_CONNECTION
from connections.models import ConnectionApplication, ConnectionSettings
from connections.services import stages
from portal.admin_site import TenantScopedAdmin
from portal.forms import DateInput


def done(text):
    return lambda n: (
        ngettext("%(n)d application: %(what)s.", "%(n)d applications: %(what)s.", n)
        % {
            "n": n,
            "what": text,
        }
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    external_id = forms.CharField(
        label=_("Payment id"), max_length=64, help_text=_("The bank's or the payment service's id of the payment.")
    )
    channel = forms.ChoiceField(label=_("Payment method"), choices=Payment.Channel.choices)


class ConditionsForm(forms.Form):
    text = forms.CharField(
        label=_("Technical conditions"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_("Printed in the PDF the applicant downloads."),
    )


class ConnectionForm(forms.Form):
    connected_on = forms.DateField(label=_("Connected on"), widget=DateInput())
    meter_serial = forms.CharField(label=_("Factory number of the meter"), max_length=40)
    initial_reading = forms.DecimalField(
        label=_("Meter reading at installation"), max_digits=12, decimal_places=3, min_value=0, initial=0
    )


class DistanceForm(forms.Form):
    distance_m = forms.IntegerField(label=_("Distance, m"), min_value=0, max_value=1_000_000)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@admin.register(ConnectionApplication)
class ConnectionApplicationAdmin(ApplicationActionsMixin, AttachmentDownloadMixin, TenantScopedAdmin):
    branch_path = "branch"
    list_display = ["number", "stage_shown", "status", "branch", "power", "fee", "submitted_at", "due_on"]
    list_filter = [stage_filter(GRID_CONNECTION), ClockFilter, "status", "branch"]
    list_select_related = ["branch", "kind", "tenant", "connection_request"]
    search_fields = ["number", "applicant__email", "connection_request__registry_number"]
    date_hierarchy = "submitted_at"
    inlines = [TimelineInline, AttachmentInline]
    actions = [
        "start_review",
        "ask_for_information",
        "resume_review",
        "issue_fee_invoice",
        "record_payment",
        "issue_conditions",
        "connect",
        "reject",
        "override_distance",
    ]
    fieldsets = [
        (None, {"fields": ["number", "stage_shown", "status", "decision_reason", "due_on", "closed_at"]}),
        (_("Stages and legal dates"), {"fields": ["stage_timeline"]}),
        (_("Request"), {"fields": ["request_summary"]}),
        (_("Fee as quoted when sent"), {"fields": ["quote_box"]}),
        (_("Distance"), {"fields": ["distance_summary"]}),
        (_("Applicant"), {"fields": ["applicant", "contact_phone", "contact_email", "language"]}),
        (_("Handling"), {"fields": ["branch", "assigned_to", "submitted_at"]}),
    ]
    readonly_fields = [field for _title, options in fieldsets for field in options["fields"]]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind__code=GRID_CONNECTION)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # -- what staff read -------------------------------------------------------------------------

    @admin.display(description=_("stage"))
    def stage_shown(self, obj):
        return clocks.stage_label(obj) or "—"

    @admin.display(description=_("power, kW"))
    def power(self, obj):
        return obj.connection_request.power_kw

    @admin.display(description=_("fee"))
    def fee(self, obj):
        return obj.connection_request.quote_total

    @admin.display(description=_("stages"))
    def stage_timeline(self, obj):
        return render_to_string("applications/includes/stage_timeline.html", {"stages": clocks.timeline(obj)})

    @admin.display(description=_("request"))
    def request_summary(self, obj):
        return render_to_string("connections/admin/request_summary.html", {"connection": obj.connection_request})

    @admin.display(description=_("quote"))
    def quote_box(self, obj):
        return render_to_string("connections/fees/quote.html", {"quote": obj.connection_request.frozen_quote()})

    @admin.display(description=_("distance"))
    def distance_summary(self, obj):
        connection = obj.connection_request
        context = {"connection": connection}
        if connection.parcel_id:
            context["parcel_url"] = reverse("admin:connections_parcel_change", args=[connection.parcel_id])
        if connection.centre_id:
            context["centre_url"] = reverse("admin:connections_powercentre_change", args=[connection.centre_id])
        return render_to_string("connections/admin/distance_summary.html", context)

    # -- the machinery: an intermediate page with a form of several fields -----------------------

    def ask_for_form(self, request, queryset, *, title, form_class, apply, explanation, initial=None):
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                apply(form.cleaned_data)
                return None
        else:
            form = form_class(initial=initial)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "explanation": explanation,
            "form": form,
            "applications": queryset.select_related("kind"),
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.reason_template, context)

    def _each(self, request, queryset, step, message):
        self.run_for_each(request, queryset, step, done(message))

    # -- the actions -----------------------------------------------------------------------------

    @admin.action(description=_("Start the review"), permissions=["change"])
    def start_review(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda application: stages.start_review(application=application, actor=request.user),
            _("review started"),
        )

    @admin.action(description=_("Resume the review (the applicant answered)"), permissions=["change"])
    def resume_review(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda application: stages.resume_review(application=application, actor=request.user),
            _("review resumed"),
        )

    @admin.action(description=_("Issue the fee invoice"), permissions=["change"])
    def issue_fee_invoice(self, request, queryset):
        return self.confirm_then(
            request,
            queryset,
            title=_("Issue the fee invoice"),
            explanation=_(
                "An invoice of the fee quoted when the application was sent is issued for each selected "
                "application, with a payment reference; the applicant gets it by SMS and e-mail."
            ),
            apply=lambda: self._each(
                request,
                queryset,
                lambda application: stages.issue_fee_invoice(application=application, actor=request.user),
                _("fee invoice issued"),
            ),
        )

    @admin.action(description=_("Record the fee payment…"), permissions=["change"])
    def record_payment(self, request, queryset):
        return self.ask_for_form(
            request,
            queryset,
            title=_("Record the fee payment"),
            form_class=PaymentForm,
            initial={"channel": Payment.Channel.BANK_TRANSFER},
            explanation=_("The connection term starts on the day of payment."),
            apply=lambda data: self._each(
                request,
                queryset,
                lambda application: stages.record_fee_payment(
                    application=application,
                    actor=request.user,
                    paid_on=data["paid_on"],
                    # One bank payment per application: the id names both when several are selected.
                    external_id=data["external_id"]
                    if queryset.count() == 1
                    else f"{data['external_id']}-{application.number}",
                    channel=data["channel"],
                ),
                _("payment recorded"),
            ),
        )

    @admin.action(description=_("Issue the technical conditions…"), permissions=["change"])
    def issue_conditions(self, request, queryset):
        return self.ask_for_form(
            request,
            queryset,
            title=_("Issue the technical conditions"),
            form_class=ConditionsForm,
            explanation=_("A PDF of the conditions is made for the applicant to download."),
            apply=lambda data: self._each(
                request,
                queryset,
                lambda application: stages.issue_conditions(
                    application=application, actor=request.user, text=data["text"]
                ),
                _("technical conditions issued"),
            ),
        )

    @admin.action(description=_("Record the connection…"), permissions=["change"])
    def connect(self, request, queryset):
        return self.ask_for_form(
            request,
            queryset,
            title=_("Record the connection"),
            form_class=ConnectionForm,
            explanation=_(
                "The subscriber account is opened with the meter, the applicant becomes its holder and is told "
                "by SMS and e-mail."
            ),
            apply=lambda data: self._each(
                request,
                queryset,
                lambda application: stages.connect(
                    application=application,
                    actor=request.user,
                    connected_on=data["connected_on"],
                    meter_serial=data["meter_serial"],
                    initial_reading=data["initial_reading"],
                ),
                _("connected"),
            ),
        )

    @admin.action(description=_("Refuse…"), permissions=["change"])
    def reject(self, request, queryset):
        return self.decide_with_reason(
            request,
            queryset,
            to_status=Status.REJECTED,
            title=_("Refuse the connection"),
            decide=lambda application, reason: stages.refuse(
                application=application, actor=request.user, reason=reason
            ),
        )

    @admin.action(description=_("Correct the distance…"), permissions=["change"])
    def override_distance(self, request, queryset):
        return self.ask_for_form(
            request,
            queryset,
            title=_("Correct the distance"),
            form_class=DistanceForm,
            explanation=_("The distance the GIS measured is kept beside yours; the reason is shown to the applicant."),
            apply=lambda data: self._each(
                request,
                queryset,
                lambda application: stages.override_distance(
                    application=application, actor=request.user, distance_m=data["distance_m"], reason=data["reason"]
                ),
                _("distance corrected"),
            ),
        )


@admin.register(ConnectionSettings)
class ConnectionSettingsAdmin(TenantScopedAdmin):
    list_display = ["tenant", "review_days", "household_days", "entrepreneur_days", "urgent_days"]
    fields = ["tenant", "review_days", "household_days", "entrepreneur_days", "urgent_days", "account_code_prefix"]
