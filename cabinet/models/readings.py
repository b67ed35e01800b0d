from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meters.models import Contract, Meter, Reading, ServicePoint
from portal.models import TenantOwned


class PeriodReading(TenantOwned):
    """A legal entity's reading of one meter for a reporting period: saved as a draft, then
    submitted; an accepted one is booked as a Reading at once (the archive shows it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    class Flag(models.TextChoices):
        VERIFICATION_EXPIRED = "verification_expired", _("Meter verification expired")

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="period_readings", verbose_name=_("contract")
    )
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="period_readings", verbose_name=_("meter"))
    period = models.DateField(_("reporting period"), help_text=_("First day of the month."))
    value = models.DecimalField(_("reading"), max_digits=12, decimal_places=3)
    reading_date = models.DateField(_("reading date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    refusal_reason = models.CharField(_("reason"), max_length=300, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("saved by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    booked_reading = models.OneToOneField(
        Reading,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="period_reading",
        verbose_name=_("booked reading"),
    )
    flags = models.JSONField(
        _("flags"),
        default=list,
        blank=True,
        help_text=_("Codes of what staff should look at, e.g. a meter whose verification had expired."),
    )

    class Meta:
        db_table = "meters_periodreading"  # moved from meters/; the table and its rows stay
        ordering = ["contract_id", "period", "meter_id"]
        verbose_name = _("period reading")
        verbose_name_plural = _("period readings")
        constraints = [models.UniqueConstraint(fields=["meter", "period"], name="period_reading_unique")]
        indexes = [models.Index(fields=["contract", "period"], name="period_reading_contract")]

    def __str__(self):
        return f"{self.meter} {self.period:%Y-%m}: {self.value}"


class HotWaterVolume(TenantOwned):
    """Hot-water waste volume of a connection point for a period: current − previous hot-water
    reading where both exist (computed), entered by the subscriber otherwise."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="hot_water_volumes", verbose_name=_("contract")
    )
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="hot_water_volumes", verbose_name=_("connection point")
    )
    period = models.DateField(_("reporting period"))
    previous_reading = models.DecimalField(
        _("previous reading"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    current_reading = models.DecimalField(_("current reading"), max_digits=12, decimal_places=3, null=True, blank=True)
    volume = models.DecimalField(_("volume, m³"), max_digits=12, decimal_places=3)
    computed = models.BooleanField(_("computed from readings"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("saved by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        db_table = "meters_hotwatervolume"  # moved from meters/; the table and its rows stay
        ordering = ["contract_id", "period", "service_point_id"]
        verbose_name = _("hot-water volume")
        verbose_name_plural = _("hot-water volumes")
        constraints = [models.UniqueConstraint(fields=["service_point", "period"], name="hot_water_volume_unique")]

    def __str__(self):
        return f"{self.service_point} {self.period:%Y-%m}: {self.volume}"
