"""Month arithmetic shared by billing months, reporting periods and charts."""

from datetime import date

import pytest

from portal.dates import add_months, month_end, month_start


def test_month_start_is_the_first_day_of_the_month():
    assert month_start(date(2026, 3, 17)) == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2026, 1, 31), date(2026, 1, 31)),
        (date(2026, 2, 10), date(2026, 2, 28)),
        (date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        (date(2026, 4, 30), date(2026, 4, 30)),
        (date(2026, 12, 5), date(2026, 12, 31)),
    ],
)
def test_month_end_is_the_last_day_of_the_month(day, last):
    assert month_end(day) == last


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 1)),  # a first day, never "31 February"
        (date(2026, 12, 15), 1, date(2027, 1, 1)),
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
        (date(2026, 3, 8), -14, date(2025, 1, 1)),
        (date(2026, 3, 8), 0, date(2026, 3, 1)),
        (date(2026, 5, 2), 24, date(2028, 5, 1)),
    ],
)
def test_add_months_moves_to_the_first_day_of_another_month(day, months, result):
    assert add_months(day, months) == result
