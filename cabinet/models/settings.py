from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from meters.models import Meter
from portal.models import TenantOwned

WATER_KINDS = {Meter.Kind.COLD_WATER, Meter.Kind.HOT_WATER}


def validate_meter_kinds(value):
    if not isinstance(value, list) or not set(value) <= set(Meter.Kind.values):
        raise ValidationError(_("Choose meter kinds from the list."), code="invalid_meter_kinds")


class CabinetSettings(TenantOwned):
    """The business rules of a tenant's legal-entity cabinet, set by the tenant rather than implied
    by which e-services it offers. One row per tenant; a tenant without one gets the defaults."""

    readings_meter_kinds = models.JSONField(
        _("meter kinds on the readings page"),
        default=list,
        blank=True,
        validators=[validate_meter_kinds],
        help_text=_(
            "The meters whose readings the cabinet takes each period; none ticked: every meter. A water "
            "company that takes hot water as volumes ticks cold water only."
        ),
    )

    readings_window = models.BooleanField(
        _("readings only in the submission window"),
        default=True,
        help_text=_(
            "On: readings of a period are taken only in the 3 days up to the contract's deadline day (and the "
            "first working day after a deadline on a day off). Off: at any time, as the contract sets no deadline."
        ),
    )

    class Meta:
        verbose_name = _("cabinet settings")
        verbose_name_plural = _("cabinet settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="cabinet_settings_one_per_tenant")]

    def __str__(self):
        return str(self.tenant)

    @classmethod
    def of(cls, tenant):
        """The tenant's settings, or the defaults (not saved) when it has none."""
        return cls.objects.filter(tenant=tenant).first() or cls(tenant=tenant)

    def readings_meters(self, meters):
        """``meters`` narrowed to the kinds the readings page takes."""
        return meters.filter(kind__in=self.readings_meter_kinds) if self.readings_meter_kinds else meters

    @property
    def cold_water_readings_only(self):
        return self.readings_meter_kinds == [Meter.Kind.COLD_WATER]

    @property
    def water_readings_only(self):
        """Only water meters: the page explains how to read their black and red digits."""
        return bool(self.readings_meter_kinds) and set(self.readings_meter_kinds) <= WATER_KINDS
