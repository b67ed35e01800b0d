"""Staff side of the legal-entity cabinet: contracts with their connection points and link
history, and the confirmation of contract links where the tenant requires it."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cabinet.models import ContractLink
from cabinet.services import linking as services
from meters.models import Contract, ServicePoint
from portal.access import require_download
from portal.admin_site import TenantScopedAdmin, TenantScopedInline
from portal.files import extension_of, filename_part, private_file_response


class StoredDocument:
    """The current file as the file widget shows it, with the link through the admin's download
    view: private storage has no URL of its own, so the widget's default link went nowhere."""

    def __init__(self, file, url):
        self.file, self.url = file, url

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]

    def __bool__(self):
        return bool(self.file)


class ContractDocumentInput(forms.ClearableFileInput):
    download_url = None  # set per form by ContractAdmin.get_form

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if value and self.download_url and context["widget"]["is_initial"]:
            context["widget"]["value"] = StoredDocument(value, self.download_url)
        return context


class ServicePointInline(TenantScopedInline):
    model = ServicePoint
    fields = ["name", "address"]
    extra = 0


class ContractLinkInline(admin.TabularInline):
    """Who linked the contract, who decided, when it left a cabinet: read-only, written by the
    services only."""

    model = ContractLink
    fields = ["organization", "status", "requested_by", "requested_at", "decided_by", "decided_at", "ended_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("link history")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "requested_by", "decided_by")


@admin.register(Contract)
class ContractAdmin(TenantScopedAdmin):
    branch_path = "account__branch"
    list_display = ["number", "counterparty_name", "tax_number", "organization", "status", "readings_deadline_day"]
    list_filter = ["status"]
    list_select_related = ["organization"]
    search_fields = ["number", "tax_number", "counterparty_name", "account__code"]
    raw_id_fields = ["account"]
    # The linked organization changes only through links (confirm, remove), so the history stays whole.
    readonly_fields = ["organization"]
    inlines = [ServicePointInline, ContractLinkInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "document" in form.base_fields:
            widget = ContractDocumentInput()
            widget.download_url = reverse("admin:meters_contract_document", args=[obj.pk])
            form.base_fields["document"].widget = widget
        return form

    def get_urls(self):
        download = self.admin_site.admin_view(self.document_view)
        return [path("<int:pk>/document/", download, name="meters_contract_document"), *super().get_urls()]

    def document_view(self, request, pk):
        """The contract's document for staff, through the one download policy (verified, branch)."""
        contract = self.get_queryset(request).select_related("account__branch").filter(pk=pk).first()
        if contract is None or not contract.document or not self.has_view_or_change_permission(request, contract):
            raise Http404
        require_download(request, tenant=contract.tenant, branch=contract.account.branch, owned=False)
        filename = f"contract-{filename_part(contract.number)}{extension_of(contract.document, '.pdf')}"
        return private_file_response(contract.document, filename=filename)

    def save_formset(self, request, form, formset, change):
        for point in formset.save(commit=False):
            point.tenant_id = form.instance.tenant_id
            point.save()
        for point in formset.deleted_objects:
            point.delete()
        formset.save_m2m()


@admin.register(ServicePoint)
class ServicePointAdmin(TenantScopedAdmin):
    branch_path = "contract__account__branch"
    list_display = ["address", "name", "contract"]
    list_select_related = ["contract"]
    search_fields = ["address", "name", "contract__number"]
    raw_id_fields = ["contract"]


@admin.register(ContractLink)
class ContractLinkAdmin(TenantScopedAdmin):
    branch_path = "contract__account__branch"
    list_display = ["contract", "organization", "organization_tax_number", "status", "requested_by", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["contract", "organization", "requested_by"]
    search_fields = ["contract__number", "organization__name", "organization__tax_number"]
    date_hierarchy = "requested_at"
    actions = ["confirm", "reject"]
    fields = [
        "contract",
        "organization",
        "organization_tax_number",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "ended_at",
    ]
    # Decisions go through the actions (services), never through editing the row.
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("organization's tax number"))
    def organization_tax_number(self, obj):
        return obj.organization.tax_number

    def _decide(self, request, queryset, decide, done_message):
        done = 0
        for link in queryset.select_related("contract"):
            try:
                decide(link=link, staff=request.user)
            except ValidationError as error:
                self.message_user(request, f"{link.contract}: {' '.join(error.messages)}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Confirm the selected links"), permissions=["change"])
    def confirm(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.confirm_contract_link,
            lambda n: ngettext("%(n)d link confirmed.", "%(n)d links confirmed.", n) % {"n": n},
        )

    @admin.action(description=_("Reject the selected links"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.reject_contract_link,
            lambda n: ngettext("%(n)d link rejected.", "%(n)d links rejected.", n) % {"n": n},
        )
