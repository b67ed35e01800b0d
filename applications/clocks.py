"""Stage clocks: each stage of a kind's workflow has its own legal term in working days on the
tenant calendar, counted from the event that starts it (W2: the connection term from the
payment; W3: delivery to the lab from the removal, the acts from the intake).

A workflow enters a stage with ``enter_stage`` (in the transaction that records the event); the
engine pauses the running clock while the application waits for the applicant and resumes it,
later by the working days spent waiting, when the application moves on (``transition`` calls
``pause``/``resume``), and stops it when the application closes. ``timeline`` is what the
applicant and staff see: every stage of the kind with its legal date.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from applications import kinds
from applications.models import Application, ApplicationEvent, StageClock
from portal.workdays import calendar_for


def _due(calendar, clock):
    if clock.term_days is None:
        return None
    return calendar.add_working_days(clock.started_on, clock.term_days + clock.paused_working_days)


def enter_stage(*, application, stage, actor, start=None, note="", public=True):
    """Enter ``stage`` (a code of the application's kind) on ``start`` (default: the tenant's
    today): the running stage is finished that day and the new clock starts with the stage's
    term. Entering the stage the application is already in returns its clock unchanged, so a task
    that runs twice or a repeated click changes nothing. Returns the clock."""
    registered = kinds.get(application.kind.code)
    definition = registered.stage(stage)
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("tenant", "kind").get(pk=application.pk)
        existing = StageClock.objects.filter(application=locked, stage=stage).first()
        if existing is not None:
            return existing
        start = start or locked.tenant.today()
        calendar = calendar_for(locked.tenant)
        StageClock.objects.filter(application=locked, finished_on__isnull=True).update(
            finished_on=start, paused_since=None
        )
        clock = StageClock(application=locked, stage=stage, started_on=start, term_days=definition.term_for(locked))
        clock.due_on = _due(calendar, clock)
        clock.save()
        locked.stage = stage
        fields = ["stage"]
        if clock.due_on is not None:
            locked.due_on = clock.due_on
            fields.append("due_on")
        locked.save(update_fields=fields)
        ApplicationEvent.objects.create(
            application=locked, actor=actor, kind=ApplicationEvent.Kind.STAGE, stage=stage, note=note, public=public
        )
    application.stage, application.due_on = locked.stage, locked.due_on
    return clock


def pause(application, *, on=None):
    """Stop the running clock while the application waits for the applicant."""
    on = on or application.tenant.today()
    StageClock.objects.filter(application=application, finished_on__isnull=True, paused_since__isnull=True).update(
        paused_since=on
    )


def resume(application, *, on=None):
    """Restart the paused clock: its legal date moves by the working days spent waiting.
    Returns the new due date of the running stage (None when no clock was paused)."""
    on = on or application.tenant.today()
    calendar = calendar_for(application.tenant)
    clock = StageClock.objects.filter(
        application=application, finished_on__isnull=True, paused_since__isnull=False
    ).first()
    if clock is None:
        return None
    clock.paused_working_days += max(calendar.working_days_between(clock.paused_since, on), 0)
    clock.paused_since = None
    clock.due_on = _due(calendar, clock)
    clock.save(update_fields=["paused_working_days", "paused_since", "due_on"])
    return clock.due_on


def stop(application, *, on=None):
    """The application is closed: the running stage ends that day."""
    on = on or application.tenant.today()
    StageClock.objects.filter(application=application, finished_on__isnull=True).update(finished_on=on)


def overdue_filter(today, application_ref="pk"):
    """Rows with a stage past its legal date and still running on ``today``: for the queue's
    "overdue" filter and the beat task that tells the branch. ``application_ref`` leads from the
    filtered model to its application ("pk" for applications, "application" for a case)."""
    late = StageClock.objects.filter(
        application=OuterRef(application_ref), finished_on__isnull=True, paused_since__isnull=True, due_on__lt=today
    )
    return Q(Exists(late))


def due_today_filter(today, application_ref="pk"):
    running = StageClock.objects.filter(
        application=OuterRef(application_ref), finished_on__isnull=True, paused_since__isnull=True, due_on=today
    )
    return Q(Exists(running))


@dataclass(frozen=True)
class StageRow:
    """One line of the stage timeline."""

    code: str
    label: str
    counts_from: str
    term_days: int | None
    started_on: date | None
    due_on: date | None
    finished_on: date | None
    paused: bool
    late: bool

    @property
    def state(self):
        if self.started_on is None:
            return "upcoming"
        if self.finished_on is not None:
            return "done"
        return "paused" if self.paused else "current"

    @property
    def state_label(self):
        return {
            "upcoming": _("Not reached"),
            "done": _("Done"),
            "paused": _("Paused: waiting for the applicant"),
            "current": _("In progress"),
        }[self.state]


def timeline(application, clocks=None):
    """Every stage of the application's kind in order, with its clock where the stage was
    entered: what the applicant's page and the admin show. ``clocks`` may be passed when they are
    prefetched; otherwise one query."""
    registered = kinds.find(application.kind.code)
    if registered is None or not registered.stages:
        return []
    if clocks is None:
        clocks = list(application.stage_clocks.all())
    by_stage = {clock.stage: clock for clock in clocks}
    today = application.tenant.today()
    rows = []
    for stage in registered.stages:
        clock = by_stage.get(stage.code)
        rows.append(
            StageRow(
                code=stage.code,
                label=str(stage.label),
                counts_from=str(stage.counts_from),
                term_days=clock.term_days if clock is not None else stage.term_for(application),
                started_on=clock.started_on if clock is not None else None,
                due_on=clock.due_on if clock is not None else None,
                finished_on=clock.finished_on if clock is not None else None,
                paused=clock is not None and clock.paused_since is not None,
                late=clock is not None and clock.is_late(today),
            )
        )
    return rows


def stage_label(application):
    """The label of the application's current stage, translated; empty for kinds without stages."""
    registered = kinds.find(application.kind.code)
    if registered is None or not application.stage:
        return ""
    try:
        return str(registered.stage(application.stage).label)
    except kinds.UnknownStage:
        return application.stage
