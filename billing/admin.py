"""Staff admin of tariffs, invoices and payments, each scoped to the staff member's tenant (and
branches, where a row belongs to an account of a branch)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from billing import services
from billing.models import BillingRun, Invoice, InvoiceLine, Payment, Tariff, TariffBlock
from billing.run.planning import run_progress, start_billing_run
from portal.admin_site import TenantScopedAdmin, TenantScopedInline
from portal.dates import month_start
from portal.urls_helpers import tenant_reverse


class TariffBlockInline(TenantScopedInline):
    model = TariffBlock
    fields = ["up_to", "price"]
    extra = 1
    verbose_name_plural = _("blocks (leave 'up to' empty on the last, unbounded block)")


@admin.register(Tariff)
class TariffAdmin(TenantScopedAdmin):
    list_display = ["name", "service", "category", "valid_from", "valid_to", "vat_rate", "prices_include_vat"]
    list_filter = ["service", "category", "prices_include_vat"]
    search_fields = ["name", "source"]
    date_hierarchy = "valid_from"
    filter_horizontal = ["branches"]
    inlines = [TariffBlockInline]
    fieldsets = [
        (None, {"fields": ["tenant", "name", "service", "category", "unit", "branches"]}),
        (_("Validity"), {"fields": ["valid_from", "valid_to"]}),
        (_("VAT"), {"fields": ["vat_rate", "prices_include_vat"]}),
        (_("Legal source"), {"fields": ["source"], "description": _("The published decision the prices come from.")}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        excluded = set(self.get_exclude(request, obj) or [])
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in excluded]}) for name, opts in fieldsets
        ]


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fields = ["description", "quantity", "unit", "unit_price", "net_amount", "vat_amount", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(TenantScopedAdmin):
    """Invoices are formed by the billing service on execution; staff read them and re-render PDFs."""

    branch_path = "account__branch"
    list_display = ["number", "account", "issued_on", "due_on", "total", "currency", "status", "pdf_link"]
    list_filter = ["status", "issued_on"]
    search_fields = ["number", "account__code", "payment_reference", "application__number"]
    list_select_related = ["account", "tenant"]
    date_hierarchy = "issued_on"
    inlines = [InvoiceLineInline]
    actions = ["rerender_pdf"]
    fields = [
        "number", "account", "application", "period_start", "period_end", "issued_on", "due_on", "currency",
        "net_total", "vat_total", "total", "payment_reference", "status", "language", "pdf_link",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def pdf_link(self, invoice):
        if not invoice.pdf:
            return _("being prepared")
        return format_html(
            '<a href="{}">{}</a>',
            tenant_reverse(invoice.tenant, "billing:invoice_pdf", args=[invoice.number]),
            _("download"),
        )

    @admin.action(description=_("Render the PDF again"), permissions=["change"])
    def rerender_pdf(self, request, queryset):
        count = 0
        for invoice in queryset:
            services.rerender_invoice_pdf(invoice=invoice)
            count += 1
        self.message_user(
            request, ngettext("%d invoice queued for rendering.", "%d invoices queued for rendering.", count) % count
        )


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["tenant", "account", "invoice", "amount", "paid_on", "channel", "method", "external_id"]

    def clean(self):
        cleaned = super().clean()
        account, invoice = cleaned.get("account"), cleaned.get("invoice")
        if account and invoice and invoice.account_id != account.pk:
            self.add_error("invoice", _("The invoice belongs to another account."))
        external_id = cleaned.get("external_id")
        if (
            account
            and external_id
            and Payment.objects.for_tenant(account.tenant).filter(external_id=external_id).exists()
        ):
            self.add_error("external_id", _("A payment with this id is already booked."))
        return cleaned


@admin.register(Payment)
class PaymentAdmin(TenantScopedAdmin):
    """Payments are booked through billing.services.record_payment (idempotent by the bank's id,
    marks the invoice paid when covered) and never edited afterwards: a correction is a new row."""

    form = PaymentForm
    branch_path = "account__branch"
    list_display = ["paid_on", "account", "amount", "invoice", "channel", "method", "external_id", "recorded_by"]
    list_filter = ["paid_on", "channel"]
    search_fields = ["external_id", "account__code", "invoice__number"]
    list_select_related = ["account", "invoice", "recorded_by"]
    autocomplete_fields = []
    raw_id_fields = []

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [
                "tenant",
                "account",
                "invoice",
                "amount",
                "paid_on",
                "channel",
                "method",
                "external_id",
                "recorded_by",
            ]
        return []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            payment = services.record_payment(
                account=obj.account,
                amount=obj.amount,
                paid_on=obj.paid_on,
                external_id=obj.external_id,
                channel=obj.channel,
                method=obj.method,
                invoice=obj.invoice,
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
            raise
        obj.pk, obj.tenant_id, obj.recorded_by = payment.pk, payment.tenant_id, payment.recorded_by


class BillingRunForm(forms.ModelForm):
    class Meta:
        model = BillingRun
        fields = ["tenant", "period"]
        widgets = {"period": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"period": _("Any day of the month to bill; the run bills the whole month.")}

    def clean_period(self):
        # One run per month whatever day was typed: the unique check sees the first day.
        period = self.cleaned_data.get("period")
        return month_start(period) if period else period


@admin.register(BillingRun)
class BillingRunAdmin(TenantScopedAdmin):
    """Staff start a tenant's monthly billing run here and watch its progress; the workers write
    its chunks (billing/run/). The page refreshes itself while the run is going (no JavaScript)."""

    form = BillingRunForm
    change_form_template = "admin/billing/billingrun/change_form.html"
    list_display = ["period_label", "tenant", "status", "progress_bar", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["tenant"]
    actions = ["resume_runs"]
    readonly_fields = ["progress_bar", "issued_on", "status", "started_by", "created_at", "finished_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [f for f in ["tenant", "period"] if f not in (self.get_exclude(request, obj) or [])]
        return ["tenant", "period", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["tenant", "period", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("month"), ordering="period")
    def period_label(self, run):
        return f"{run.period:%Y-%m}"

    @admin.display(description=_("progress"))
    def progress_bar(self, run):
        done, total, invoices, lines = run_progress(run)
        percent = 100 if not total else done * 100 // total
        return format_html(
            '<progress value="{}" max="{}" aria-label="{}">{} %</progress> {}',
            done,
            total or 1,
            _("progress"),
            percent,
            _("%(done)s of %(total)s chunks, %(invoices)s invoices, %(lines)s lines")
            % {"done": done, "total": total, "invoices": invoices, "lines": lines},
        )

    def save_model(self, request, obj, form, change):
        if change:
            return
        run = start_billing_run(tenant=obj.tenant, period=obj.period, started_by=request.user)
        obj.pk, obj.issued_on, obj.status = run.pk, run.issued_on, run.status

    @admin.action(description=_("Resume the unfinished chunks"), permissions=["change"])
    def resume_runs(self, request, queryset):
        count = 0
        for run in queryset.select_related("tenant"):
            start_billing_run(tenant=run.tenant, period=run.period, started_by=run.started_by)
            count += 1
        self.message_user(request, _("Billing runs resumed: %(count)s.") % {"count": count})
