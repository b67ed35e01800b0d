from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantOwned


class CalendarDay(TenantOwned):
    """A tenant's correction of the country's public-holiday calendar.

    A day off on a normal working day (a new holiday, or the target of a transfer), or a working
    day on a day the package calls a holiday or on a weekend (a removed holiday, or the source of
    a transfer). A transfer is therefore two rows that share a note.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name or reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["tenant_id", "date"]
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")
        constraints = [models.UniqueConstraint(fields=["tenant", "date"], name="calendar_day_unique_per_tenant")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
