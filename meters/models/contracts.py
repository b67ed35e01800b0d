from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import TenantOwned

from .storage import private_storage

deadline_day_validators = [MinValueValidator(1), MaxValueValidator(31)]


class Contract(TenantOwned):
    """A supply contract with a legal entity. Its billing runs on ``account`` (a legal-entity
    subscriber account); the organization is set while a cabinet has it linked."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In force")
        SUSPENDED = "suspended", _("Suspended")
        TERMINATED = "terminated", _("Terminated")

    number = models.CharField(_("contract number"), max_length=40)
    account = models.OneToOneField(
        "meters.SubscriberAccount", on_delete=models.PROTECT, related_name="contract", verbose_name=_("account")
    )
    tax_number = models.CharField(_("counterparty's tax number"), max_length=12)
    counterparty_name = models.CharField(_("counterparty"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    readings_deadline_day = models.PositiveSmallIntegerField(
        _("readings deadline day"),
        validators=deadline_day_validators,
        help_text=_("Day of the month by which the readings are due; submission opens 2 days before."),
    )
    hot_water_deadline_day = models.PositiveSmallIntegerField(
        _("hot-water volumes deadline day"), null=True, blank=True, validators=deadline_day_validators
    )
    monthly_limit = models.DecimalField(
        _("monthly limit"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Contracted monthly consumption limit (kWh or m³)."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    document = models.FileField(
        _("contract document (PDF)"), storage=private_storage, upload_to="contracts/", blank=True
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("linked organization"),
    )

    class Meta:
        ordering = ["tenant_id", "number"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="contract_number_unique_per_tenant")]
        indexes = [models.Index(fields=["tenant", "tax_number"], name="contract_tax_number")]

    def __str__(self):
        return f"№{self.number} — {self.counterparty_name}"


class ServicePoint(TenantOwned):
    """A connection point (address) of a contract; its meters hang off it."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="service_points", verbose_name=_("contract")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    address = models.CharField(_("connection point address"), max_length=300)

    class Meta:
        ordering = ["contract_id", "address"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")

    def __str__(self):
        return self.name or self.address
