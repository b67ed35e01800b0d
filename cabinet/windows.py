"""When a legal entity may submit its readings (W5): the submission window of a reporting period.

Izhvodokanal's rule: readings are accepted "in the 3 days up to and including the contract's
deadline day; a deadline on a weekend or holiday moves to the first working day after".

Decisions taken here (the source does not spell them out):

- The reporting period is the month being reported (``period`` = its first day); its deadline day
  falls in the FOLLOWING month — March's readings are due by the 8th of April, as the meter is read
  at the end of the month it measures. A deadline day the month lacks (the 31st in April) is its
  last day.
- The deadline is moved first (tenant calendar), then the window counted back from it.
- "3 days" are calendar days, as the source says days, not working days: the window is the moved
  deadline and the two calendar days before it. A deadline moved from Saturday the 8th to Monday
  the 10th gives the window 8th–10th.

The hot-water volumes use the same rule with the contract's hot-water deadline day.
"""

import datetime
from dataclasses import dataclass

from portal.dates import add_months, month_end, month_start
from portal.workdays import calendar_for

WINDOW_DAYS = 3


@dataclass(frozen=True)
class SubmissionWindow:
    period: datetime.date  # first day of the reporting month
    opens_on: datetime.date
    closes_on: datetime.date  # the deadline, moved to a working day if needed
    deadline_moved_from: datetime.date | None  # the nominal deadline when it fell on a day off

    def contains(self, day):
        return self.opens_on <= day <= self.closes_on


def nominal_deadline(period, deadline_day):
    """The deadline day in the month after ``period``, clamped to that month's length."""
    month = add_months(period, 1)
    return month.replace(day=min(deadline_day, month_end(month).day))


def deadline_day_of(contract, hot_water=False):
    return contract.hot_water_deadline_day if hot_water else contract.readings_deadline_day


def submission_window(contract, period, *, hot_water=False, calendar=None):
    """The SubmissionWindow of ``contract`` for the reporting month ``period``.

    ``hot_water`` uses the hot-water volumes deadline day (None when the contract has none).
    Pass the tenant's ``calendar`` when computing several windows, so its corrections load once.
    """
    deadline_day = deadline_day_of(contract, hot_water)
    if deadline_day is None:
        return None
    calendar = calendar or calendar_for(contract.tenant)
    period = month_start(period)
    nominal = nominal_deadline(period, deadline_day)
    deadline = calendar.working_day_on_or_after(nominal)
    return SubmissionWindow(
        period=period,
        opens_on=deadline - datetime.timedelta(days=WINDOW_DAYS - 1),
        closes_on=deadline,
        deadline_moved_from=nominal if deadline != nominal else None,
    )


def next_window(contract, today, *, hot_water=False, calendar=None):
    """The window open on ``today`` or the first one after it."""
    calendar = calendar or calendar_for(contract.tenant)
    # A deadline late in the month may move into the month after next, so start two periods back.
    period = add_months(today, -2)
    while True:
        window = submission_window(contract, period, hot_water=hot_water, calendar=calendar)
        if window is None or today <= window.closes_on:
            return window
        period = add_months(period, 1)


def default_period(contract, today, *, hot_water=False, calendar=None):
    """The reporting period whose window is open, or else the next one to open."""
    window = next_window(contract, today, hot_water=hot_water, calendar=calendar)
    return window.period if window is not None else add_months(today, -1)


def closed_message(contract, period, today, *, hot_water=False, calendar=None):
    """Why a submission for ``period`` is refused on ``today``, with the dates of the next window."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from portal.l10n import month_in_sentence

    calendar = calendar or calendar_for(contract.tenant)
    window = submission_window(contract, period, hot_water=hot_water, calendar=calendar)
    if window is None:
        return _("This contract has no deadline for these figures.")
    if today < window.opens_on:
        upcoming = window
        message = _("Submission for %(period)s opens on %(opens)s and closes on %(closes)s.")
    else:
        upcoming = next_window(contract, today, hot_water=hot_water, calendar=calendar)
        message = _(
            "Submission for %(period)s closed on %(closed)s. The next window is from %(opens)s to %(closes)s "
            "(for %(next_period)s)."
        )
    params = {
        "period": month_in_sentence(window.period),
        "closed": date_format(window.closes_on, "DATE_FORMAT"),
        "opens": date_format(upcoming.opens_on, "DATE_FORMAT"),
        "closes": date_format(upcoming.closes_on, "DATE_FORMAT"),
        "next_period": month_in_sentence(upcoming.period),
    }
    return message % params
