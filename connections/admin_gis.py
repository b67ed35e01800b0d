"""Staff admin of the GIS rows: districts, power centres, parcels, and the import page of a GIS
export on the power-centre and parcel changelists, with its per-row report."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from connections.gis.importing import CENTRES, PARCELS, import_gis_file
from connections.gis.parsing import ImportFileError
from connections.models import District, Parcel, PowerCentre
from portal.admin_site import TenantScopedAdmin, staff_scope
from portal.models import Tenant

# The report lists every refused row and this many of the others: a 100,000-row export must not
# make a page of 100,000 table rows.
REPORT_ROWS_SHOWN = 1000


class GisImportForm(forms.Form):
    tenant = forms.ModelChoiceField(label=_("Tenant"), queryset=Tenant.objects.none())
    file = forms.FileField(
        label=_("GIS export"),
        help_text=_(
            "A CSV file (comma or semicolon separated, UTF-8, with a header row) or a GeoJSON FeatureCollection."
        ),
    )
    data_version = forms.CharField(
        label=_("Data version"),
        max_length=64,
        required=False,
        help_text=_("As the GIS names the export, e.g. 2026-11-30; empty: the file's checksum."),
    )

    def __init__(self, *args, tenants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = tenants
        self.single_tenant = tenants.first() if len(tenants) == 1 else None
        if self.single_tenant is not None:
            del self.fields["tenant"]

    def chosen_tenant(self):
        return self.single_tenant or self.cleaned_data["tenant"]


def tenants_of(request):
    if request.user.is_superuser:
        return Tenant.objects.all()
    return Tenant.objects.filter(pk__in=list(staff_scope(request)))


class GisImportMixin:
    """An "Import from GIS" page next to the changelist; staff import into their own tenant only."""

    import_kind = None
    change_list_template = "admin/connections/gis/change_list.html"

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name=f"{opts.app_label}_{opts.model_name}_import"), *super().get_urls()]

    def import_view(self, request):
        # Importing adds and changes rows: both permissions, as the add and change pages ask.
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        tenants = list(tenants_of(request))
        if not tenants:
            raise PermissionDenied
        tenant_qs = Tenant.objects.filter(pk__in=[tenant.pk for tenant in tenants])
        posted = request.method == "POST"
        form = GisImportForm(request.POST if posted else None, request.FILES if posted else None, tenants=tenant_qs)
        report = None
        if posted and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = read_upload(upload)
                report = import_gis_file(
                    form.chosen_tenant(),
                    kind=self.import_kind,
                    data=data,
                    filename=upload.name,
                    data_version=form.cleaned_data["data_version"],
                    source=_("GIS import by %(user)s") % {"user": request.user.get_username()},
                )
            except ImportFileError as error:
                form.add_error("file", error)
            else:
                self.message_user(
                    request, summary(report), messages.SUCCESS if not report.refused_rows else messages.WARNING
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import %(things)s from the GIS") % {"things": self.model._meta.verbose_name_plural},
            "form": form,
            "report": report,
            "report_rows": report_rows(report) if report else [],
            "columns": import_columns(self.import_kind),
        }
        return TemplateResponse(request, "admin/connections/gis/import.html", context)

    def changelist_view(self, request, extra_context=None):
        can_import = self.has_add_permission(request) and self.has_change_permission(request)
        return super().changelist_view(request, {**(extra_context or {}), "can_import_gis": can_import})


def read_upload(upload):
    from django.conf import settings

    if upload.size > settings.CONNECTIONS_GIS_IMPORT_MAX_BYTES:
        return b"x" * (settings.CONNECTIONS_GIS_IMPORT_MAX_BYTES + 1)  # the service refuses it with its message
    return upload.read()


def summary(report):
    counts = report.counts
    return _(
        "Import finished (data version %(version)s): %(created)d created, %(updated)d updated, "
        "%(unchanged)d unchanged, %(refused)d refused."
    ) % {"version": report.data_version, **counts}


def report_rows(report):
    shown = [row for row in report.rows if row.status == "refused"]
    others = [row for row in report.rows if row.status != "refused"][: max(REPORT_ROWS_SHOWN - len(shown), 0)]
    return sorted(shown + others, key=lambda row: row.number)


def import_columns(kind):
    from connections.gis.importing import TARGETS

    required = TARGETS[kind].required_columns
    optional = ("boundary_wkt", "source", "latitude", "longitude") if kind == PARCELS else ()
    return {"required": required, "optional": [c for c in optional if c not in required]}


@admin.register(District)
class DistrictAdmin(TenantScopedAdmin):
    list_display = ["code", "name", "name_ru", "name_en", "branch", "latitude", "longitude", "tenant"]
    list_filter = ["tenant", "branch"]
    search_fields = ["code", "name", "name_ru", "name_en"]
    list_select_related = ["tenant", "branch"]


@admin.register(PowerCentre)
class PowerCentreAdmin(GisImportMixin, TenantScopedAdmin):
    import_kind = CENTRES
    list_display = ["code", "name", "kind", "district", "low_voltage_kv", "rated_kva", "available_kva", "data_version"]
    list_filter = ["tenant", "kind", "district"]
    search_fields = ["code", "name"]
    list_select_related = ["district"]
    readonly_fields = ["data_version", "imported_on"]


@admin.register(Parcel)
class ParcelAdmin(GisImportMixin, TenantScopedAdmin):
    import_kind = PARCELS
    list_display = ["registry_number", "registration_number", "district", "latitude", "longitude", "data_version"]
    list_filter = ["tenant", "district"]
    search_fields = ["=registry_number", "=registration_number"]
    list_select_related = ["district"]
    readonly_fields = ["data_version", "imported_on"]
    show_full_result_count = False  # a COUNT(*) over every parcel on each page is not worth it
