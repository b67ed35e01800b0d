"""W5 readings archive: a contract's accepted readings, newest first, paged by keyset.

No OFFSET: the "older" link carries the last row's (reading_date, id), and the next page starts
strictly after it, so page 200 costs what page 1 costs and a reading booked meanwhile never shifts
rows between pages. The source system shows readings two hours late; ours are booked at submission,
so the archive shows them at once.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from meters.models import Reading

PAGE_SIZE = 50


@dataclass(frozen=True)
class Cursor:
    reading_date: datetime.date
    pk: int

    def __str__(self):
        return f"{self.reading_date.isoformat()}_{self.pk}"

    @classmethod
    def parse(cls, text):
        """A cursor from the URL, or None when absent or malformed (then the first page is shown)."""
        try:
            day, pk = (text or "").split("_")
            cursor = cls(datetime.date.fromisoformat(day), int(pk))
        except ValueError:
            return None
        return cursor if 0 < cursor.pk < 2**63 else None  # a larger id overflows the database's integer


@dataclass
class ArchivePage:
    readings: list
    older: Cursor | None  # where the next (older) page starts; None on the last page


def archive_readings(*, contract, service_point=None, date_from=None, date_to=None):
    """The filtered readings of the contract's meters (any source, accepted), newest first."""
    # Reading.contract, not meter__service_point__contract: the index reading_contract_date serves
    # the first and any deep page in milliseconds (issue #12).
    readings = Reading.objects.filter(contract=contract, status=Reading.Status.ACCEPTED)
    if service_point is not None:
        readings = readings.filter(meter__service_point=service_point)
    if date_from is not None:
        readings = readings.filter(reading_date__gte=date_from)
    if date_to is not None:
        readings = readings.filter(reading_date__lte=date_to)
    return readings.select_related("meter", "meter__service_point").order_by("-reading_date", "-pk")


def archive_page(readings, *, after=None, size=PAGE_SIZE):
    """One page of ``readings`` (from archive_readings) starting after the cursor ``after``."""
    if after is not None:
        # (date, id) < (cursor): the redundant "date <= cursor date" is what lets the index range
        # start at the cursor; with the OR alone PostgreSQL walks the contract's newer rows first.
        readings = readings.filter(
            Q(reading_date__lt=after.reading_date) | Q(reading_date=after.reading_date, pk__lt=after.pk),
            reading_date__lte=after.reading_date,
        )
    rows = list(readings[: size + 1])
    older = None
    if len(rows) > size:
        rows = rows[:size]
        older = Cursor(rows[-1].reading_date, rows[-1].pk)
    return ArchivePage(readings=rows, older=older)
