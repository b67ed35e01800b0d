"""When a legal entity may submit its readings (W5): the submission window of a reporting period.

Izhvodokanal's rule: readings are accepted "in the 3 days up to and including the contract's
deadline day and, when that day is a weekend or holiday, also on the first working day after it".

How it is read here:

- The reporting period is the month the deadline falls in, as the source labels it: its example
  submits the "October 2018" readings by the 8th of October (reading dated 2018-10-08, the previous
  one 2018-09-04). ``period`` is that month's first day. A deadline day the month lacks (the 31st
  in April) is its last day.
- "3 days" are calendar days, as the source says days, not working days: the deadline day and the
  two calendar days before it, whatever they are. The deadline is not moved: a deadline on a day
  off ADDS the first working day after it (tenant calendar). A deadline on Saturday the 8th gives
  Thursday 6th, Friday 7th, Saturday 8th and Monday 10th; Sunday the 9th is refused.
- A tenant whose cabinet sets no window (CabinetSettings.readings_window off: Uzbekenergo, W4,
  whose source sets no deadline) takes readings of any period at any time; its page starts at the
  current month.

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
    opens_on: datetime.date | None  # None: no window, submissions are taken at any time
    deadline: datetime.date | None  # the contract's deadline day in the period's month
    extra_day: datetime.date | None = None  # the first working day after a deadline on a day off

    @property
    def always_open(self):
        return self.opens_on is None

    @property
    def closes_on(self):
        """The last day a submission is taken."""
        return self.extra_day or self.deadline

    @property
    def deadline_moved_from(self):
        """The deadline when it falls on a day off (the window then also takes ``extra_day``)."""
        return self.deadline if self.extra_day else None

    def contains(self, day):
        if self.always_open:
            return True
        return self.opens_on <= day <= self.deadline or day == self.extra_day


def nominal_deadline(period, deadline_day):
    """The deadline day in the month ``period``, clamped to that month's length."""
    return period.replace(day=min(deadline_day, month_end(period).day))


def deadline_day_of(contract, hot_water=False):
    return contract.hot_water_deadline_day if hot_water else contract.readings_deadline_day


def has_readings_window(contract):
    from cabinet.models import CabinetSettings

    return CabinetSettings.of(contract.tenant).readings_window


def submission_window(contract, period, *, hot_water=False, calendar=None, windowed=None):
    """The SubmissionWindow of ``contract`` for the reporting month ``period``.

    ``hot_water`` uses the hot-water volumes deadline day (None when the contract has none).
    Readings (not hot water) of a tenant whose cabinet sets no window get an always-open window;
    pass ``windowed`` when it is known, to spare the settings query.
    Pass the tenant's ``calendar`` when computing several windows, so its corrections load once.
    """
    period = month_start(period)
    if not hot_water:
        windowed = has_readings_window(contract) if windowed is None else windowed
        if not windowed:
            return SubmissionWindow(period=period, opens_on=None, deadline=None)
    deadline_day = deadline_day_of(contract, hot_water)
    if deadline_day is None:
        return None
    calendar = calendar or calendar_for(contract.tenant)
    deadline = nominal_deadline(period, deadline_day)
    extra_day = None if calendar.is_working_day(deadline) else calendar.next_working_day(deadline)
    return SubmissionWindow(
        period=period,
        opens_on=deadline - datetime.timedelta(days=WINDOW_DAYS - 1),
        deadline=deadline,
        extra_day=extra_day,
    )


def next_window(contract, today, *, hot_water=False, calendar=None):
    """The window open on ``today`` or the first one after it."""
    calendar = calendar or calendar_for(contract.tenant)
    windowed = None if hot_water else has_readings_window(contract)
    # The extra working day after a late deadline may fall in the next month: start one period back.
    period = add_months(today, -1)
    while True:
        window = submission_window(contract, period, hot_water=hot_water, calendar=calendar, windowed=windowed)
        if window is None or window.always_open:
            return window
        if today <= window.closes_on:
            return window
        period = add_months(period, 1)


def default_period(contract, today, *, hot_water=False, calendar=None):
    """The reporting period whose window is open, or else the next one to open (the current month
    when there is no window)."""
    window = next_window(contract, today, hot_water=hot_water, calendar=calendar)
    if window is None or window.always_open:
        return month_start(today)
    return window.period


def closed_message(contract, period, today, *, hot_water=False, calendar=None):
    """Why a submission for ``period`` is refused on ``today``, with the dates of the next window."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from portal.l10n import month_in_sentence

    calendar = calendar or calendar_for(contract.tenant)
    window = submission_window(contract, period, hot_water=hot_water, calendar=calendar)
    if window is None:
        return _("This contract has no deadline for these figures.")
    if window.always_open:
        return ""
    if window.opens_on <= today <= window.closes_on:
        # The days off between a deadline on a day off and the first working day after it.
        return _(
            "Submission for %(period)s is not accepted today: the deadline %(deadline)s was a day off, so it is "
            "accepted again on %(extra)s, the first working day after it."
        ) % {
            "period": date_format(window.period, "YEAR_MONTH_FORMAT"),
            "deadline": date_format(window.deadline, "DATE_FORMAT"),
            "extra": date_format(window.extra_day, "DATE_FORMAT"),
        }
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
