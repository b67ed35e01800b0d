from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meters.models import Contract
from portal.models import TenantOwned


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
        db_table = "meters_contractlink"  # moved from meters/; the table and its rows stay
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
