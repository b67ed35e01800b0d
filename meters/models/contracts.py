from django.conf import settings
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


class ContractLink(TenantOwned):
    """The history of a contract's linking to cabinets: requested, confirmed, removed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Linked")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="links", verbose_name=_("contract"))
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="contract_links", verbose_name=_("organization")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ended_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("contract link")
        verbose_name_plural = _("contract links")
        constraints = [
            # One live link per contract: a contract linked elsewhere cannot be taken over.
            models.UniqueConstraint(
                fields=["contract"], condition=models.Q(status__in=["pending", "active"]), name="contract_one_live_link"
            )
        ]

    def __str__(self):
        return f"{self.contract} ↔ {self.organization} ({self.get_status_display()})"


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
