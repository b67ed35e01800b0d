"""The working-day calendar of a tenant: every deadline counted in working days goes through it.

A day is decided in this order:

1. the tenant's own correction (``CalendarDay``), entered by staff in the admin, wins both ways;
2. the `holidays` package for the tenant's country: its public holidays, their weekend transfers
   ("observed" days: Azerbaijan's Labour Code art. 105, Uzbekistan's Labour Code from 2023-04-30,
   Russia's Labour Code art. 112) and decreed swaps ("substituted" days, whose weekend source the
   package records in ``weekend_workdays`` — Russia's and Azerbaijan's working Saturdays);
3. Saturday and Sunday are days off, every other day is a working day.

Only the package's PUBLIC category is read. Azerbaijan's WORKDAY category lists commemorative days
that are working days (Memorial Day, Constitution Day); they are not working weekends, and on a
Saturday they stay a day off. The package carries Azerbaijan's decreed swaps only up to 2025 and
Russia's transfers are entered year by year, so staff check and complete them in the admin.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import holidays
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

WEEKEND = frozenset({5, 6})  # Saturday, Sunday in all our countries (the package agrees for AZ, RU, UZ).
ONE_DAY = datetime.timedelta(days=1)
# No calendar has two years without a working day; past that, corrections have gone wrong.
MAX_SCAN_DAYS = 2 * 366

# Django language code -> the package's; the country's own language when the package lacks it.
PACKAGE_LANGUAGES = {"az": "az", "ru": "ru", "uz": "uz", "en": "en_US"}


@dataclass(frozen=True)
class PackageYear:
    """What the package says about one year of one country."""

    holidays: dict  # date -> name, days off other than ordinary weekends
    weekend_workdays: frozenset  # Saturdays/Sundays worked because a day off was moved from them


@functools.cache
def package_year(country_code, year, language):
    """The package's holidays of ``year``, shared by every calendar (the data never changes at run time).

    A decreed swap is recorded in the year of the day off it creates, and its working weekend may
    lie in the year before (Azerbaijan moved 2024-12-29 to 2025-01-03), so neighbouring years are
    built too.
    """
    country = holidays.country_holidays(
        country_code, years=[year - 1, year, year + 1], language=language, categories=(holidays.PUBLIC,)
    )
    return PackageYear(
        holidays={day: name for day, name in country.items() if day.year == year},
        weekend_workdays=frozenset(day for day in country.weekend_workdays if day.year == year),
    )


@functools.cache
def _country_languages(country_code):
    country = holidays.country_holidays(country_code, years=[])
    return country.default_language, frozenset(country.supported_languages)


def package_language(country_code):
    """The package language for the active Django language (the country's own one if missing).

    Always explicit: left unset, the package would follow the server's locale settings.
    """
    default, supported = _country_languages(country_code)
    wanted = PACKAGE_LANGUAGES.get((translation.get_language() or "").split("-")[0])
    return wanted if wanted in supported else default


@dataclass(frozen=True)
class Deviation:
    """A day that breaks the plain Monday-to-Friday rule, for the admin's calendar preview."""

    date: datetime.date
    is_working: bool
    name: str
    corrected: bool  # decided by a staff correction rather than by the package


def _as_date(day):
    # A datetime would silently count in UTC; callers convert to the tenant's local date first.
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(f"A date is required, not {type(day).__name__}.")
    return day


class WorkingCalendar:
    """Working days of one tenant. Build one per request or task; it reads the corrections once."""

    def __init__(self, tenant):
        self.tenant = tenant
        self.country_code = tenant.country_code
        self.language = package_language(self.country_code)
        self._corrections = None

    # -- the data -------------------------------------------------------------------------------

    @property
    def corrections(self):
        """{date: CalendarDay} of the tenant, loaded with one query on first use."""
        if self._corrections is None:
            from portal.models import CalendarDay

            self._corrections = {row.date: row for row in CalendarDay.objects.for_tenant(self.tenant)}
        return self._corrections

    def _package(self, day):
        return package_year(self.country_code, day.year, self.language)

    # -- single days ----------------------------------------------------------------------------

    def is_working_day(self, day):
        day = _as_date(day)
        correction = self.corrections.get(day)
        if correction is not None:
            return correction.kind == correction.Kind.WORKING_DAY
        package = self._package(day)
        if day.weekday() in WEEKEND:
            return day in package.weekend_workdays
        return day not in package.holidays

    def holiday_name(self, day):
        """Why the day is off beyond an ordinary weekend, or None (also for a day made working)."""
        day = _as_date(day)
        correction = self.corrections.get(day)
        if correction is not None:
            if correction.kind == correction.Kind.WORKING_DAY:
                return None
            return correction.name or _("Day off")
        if day in self._package(day).weekend_workdays:
            return None
        return self._package(day).holidays.get(day)

    # -- moving and counting --------------------------------------------------------------------

    def _step(self, day, direction):
        for _scanned in range(MAX_SCAN_DAYS):
            day += direction
            if self.is_working_day(day):
                return day
        raise ValueError(f"No working day within {MAX_SCAN_DAYS} days of {day}; check the calendar corrections.")

    def next_working_day(self, day):
        """The first working day strictly after ``day``."""
        return self._step(_as_date(day), ONE_DAY)

    def working_day_on_or_after(self, day):
        """``day`` if it is a working day, else the next one (a deadline on a day off moves forward)."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day, n):
        """The date ``n`` working days after ``day``, ``day`` itself not counted.

        ``n`` = 0 gives ``day``; a negative ``n`` counts backwards the same way, so
        ``add_working_days(saturday, -1)`` is the Friday before.
        """
        day = _as_date(day)
        direction = ONE_DAY if n >= 0 else -ONE_DAY
        for _counted in range(abs(n)):
            day = self._step(day, direction)
        return day

    def working_days_between(self, start, end):
        """Working days in (start, end]; negative, counting [end, start), when ``end`` is before ``start``.

        Mirrors ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n`` for any n.
        """
        start, end = _as_date(start), _as_date(end)
        if end >= start:
            return sum(self.is_working_day(start + ONE_DAY * offset) for offset in range(1, (end - start).days + 1))
        return -sum(self.is_working_day(end + ONE_DAY * offset) for offset in range((start - end).days))

    # -- the year at a glance -------------------------------------------------------------------

    def deviations(self, year):
        """Weekdays that are off, weekend days that are worked and corrected days of ``year``, in date order."""
        rows = []
        day = datetime.date(year, 1, 1)
        while day.year == year:
            working = self.is_working_day(day)
            correction = self.corrections.get(day)
            if working == (day.weekday() in WEEKEND) or correction is not None:
                name = (correction.name if correction is not None else "") or self.holiday_name(day) or ""
                rows.append(Deviation(date=day, is_working=working, name=name, corrected=correction is not None))
            day += ONE_DAY
        return rows


def calendar_for(tenant):
    """The working-day calendar of ``tenant``."""
    return WorkingCalendar(tenant)


def transfer_day_off(*, tenant, from_date, to_date, reason):
    """Move a day off: ``from_date`` becomes a working day and ``to_date`` a day off, both or neither.

    Used for decreed swaps the package does not know yet (Azerbaijan after 2025, Russia's next year).
    Raises ``ValueError`` with a message for the staff member when the swap makes no sense.
    """
    from portal.models import CalendarDay

    from_date, to_date = _as_date(from_date), _as_date(to_date)
    if from_date == to_date:
        raise ValueError(_("The day off and the day it moves to must differ."))
    calendar = calendar_for(tenant)
    taken = sorted(day for day in (from_date, to_date) if day in calendar.corrections)
    if taken:
        raise ValueError(
            _("%(dates)s already has a correction; change or delete it first.")
            % {"dates": ", ".join(day.isoformat() for day in taken)}
        )
    if calendar.is_working_day(from_date):
        raise ValueError(_("%(date)s is already a working day.") % {"date": from_date.isoformat()})
    if not calendar.is_working_day(to_date):
        raise ValueError(_("%(date)s is already a day off.") % {"date": to_date.isoformat()})
    with transaction.atomic():
        worked = CalendarDay(tenant=tenant, date=from_date, kind=CalendarDay.Kind.WORKING_DAY, name=reason)
        rest = CalendarDay(tenant=tenant, date=to_date, kind=CalendarDay.Kind.DAY_OFF, name=reason)
        for row in (worked, rest):
            row.full_clean()
            row.save()
    return worked, rest
