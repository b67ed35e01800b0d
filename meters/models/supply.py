from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import TenantOwned

from .accounts import Meter, SubscriberAccount


class SupplySuspension(TenantOwned):
    """One suspension of the supply to a meter (gas meter removal rules §1.2, §1.4, §2.8) and
    its restoration. Written by the workflow that suspends (W3's cases); read by every workflow
    that must refuse the meter meanwhile (W1's readings form) and by the account page.

    Restored only with a word on what was done to remove the cause (§1.2): the row keeps it.
    """

    account = models.ForeignKey(
        SubscriberAccount, on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("subscriber account")
    )
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("meter"))
    reason = models.CharField(_("reason"), max_length=300)
    # The case it belongs to, as its number (the workflow app owns the case; this layer does not).
    case_number = models.CharField(_("case"), max_length=32, blank=True)
    suspended_at = models.DateTimeField(_("suspended"))
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    restored_at = models.DateTimeField(_("restored"), null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("restored by"),
    )
    restoration_note = models.TextField(_("what was done to remove the cause"), blank=True)

    class Meta:
        ordering = ["-suspended_at", "-pk"]
        verbose_name = _("supply suspension")
        verbose_name_plural = _("supply suspensions")
        constraints = [
            # §1.2: supply comes back once the cause is removed, and the record says how.
            models.CheckConstraint(
                condition=Q(restored_at__isnull=True) | ~Q(restoration_note=""), name="suspension_restored_with_note"
            ),
            # One open suspension per meter: suspending twice changes nothing.
            models.UniqueConstraint(
                fields=["meter"], condition=Q(restored_at__isnull=True), name="suspension_one_open_per_meter"
            ),
        ]

    def __str__(self):
        return f"{self.meter} — {self.suspended_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.restored_at is None
