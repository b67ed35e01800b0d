"""Staff side of the cabinet's business rules: one CabinetSettings row per tenant."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cabinet.models import CabinetSettings
from meters.models import Meter
from portal.admin_site import TenantScopedAdmin


class CabinetSettingsForm(forms.ModelForm):
    class Meta:
        model = CabinetSettings
        fields = ["tenant", "readings_meter_kinds", "readings_window"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = CabinetSettings._meta.get_field("readings_meter_kinds")
        # Ticked kinds instead of a JSON list to type.
        self.fields["readings_meter_kinds"] = forms.MultipleChoiceField(
            label=field.verbose_name.capitalize(),
            help_text=field.help_text,
            choices=Meter.Kind.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


@admin.register(CabinetSettings)
class CabinetSettingsAdmin(TenantScopedAdmin):
    form = CabinetSettingsForm
    list_display = ["tenant", "meter_kinds", "readings_window"]

    @admin.display(description=_("meter kinds on the readings page"))
    def meter_kinds(self, obj):
        return ", ".join(str(Meter.Kind(kind).label) for kind in obj.readings_meter_kinds) or _("Every meter")
