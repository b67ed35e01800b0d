"""Month arithmetic on dates: the one place for month starts, month ends and moving by months.

Billing months, reporting periods and chart months are all represented by their first day, so
``add_months`` returns a first day too: it never has to decide what "31 January + 1 month" is.
"""

import calendar
import datetime


def month_start(day):
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day):
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day, months):
    """The first day of the month ``months`` after ``day``'s month (before it when negative)."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)
