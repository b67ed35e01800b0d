from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import Application


class StageClock(models.Model):
    """One stage an application has entered, with its legal clock on the tenant calendar.

    The term is frozen when the stage is entered (a term staff change later applies to the next
    application, not to a running clock). While the application waits for the applicant the clock
    is paused: the working days spent waiting are added to the due date when it resumes.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_clocks", verbose_name=_("application")
    )
    stage = models.CharField(_("stage"), max_length=32)
    started_on = models.DateField(_("started"))
    term_days = models.PositiveSmallIntegerField(_("term in working days"), null=True, blank=True)
    due_on = models.DateField(_("legal date"), null=True, blank=True)
    paused_since = models.DateField(_("paused since"), null=True, blank=True)
    paused_working_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)
    finished_on = models.DateField(_("finished"), null=True, blank=True)
    # Set by whoever tells the branch that the stage is late, so the notice goes out once.
    overdue_noticed_on = models.DateField(_("overdue notice sent"), null=True, blank=True)

    class Meta:
        ordering = ["application_id", "started_on", "pk"]
        verbose_name = _("stage clock")
        verbose_name_plural = _("stage clocks")
        constraints = [
            # A stage is entered once: a task or a double click that enters it again finds this row.
            models.UniqueConstraint(fields=["application", "stage"], name="stage_clock_once_per_stage"),
        ]
        indexes = [models.Index(fields=["finished_on", "due_on"], name="stage_clock_open_due")]

    def __str__(self):
        return f"{self.application_id}:{self.stage}"

    @property
    def is_running(self):
        return self.finished_on is None and self.paused_since is None

    def is_late(self, today):
        """Past its legal date: still open after it, or finished after it."""
        if self.due_on is None:
            return False
        if self.finished_on is not None:
            return self.finished_on > self.due_on
        return self.paused_since is None and today > self.due_on
