"""Supply suspended by a W3 case: the meter's summary says so, and W1's readings form refuses it."""

import datetime

import pytest

from meters.models import Meter
from meters.selectors import meter_summaries, normalize_serial
from readings.forms import ReadingLineForm
from removals import services
from tests.removals.helpers import Cast

pytestmark = pytest.mark.django_db


def line_form(meter, today):
    summaries = meter_summaries(Meter.objects.filter(pk=meter.pk), today)
    return ReadingLineForm(
        {"serial_number": meter.serial_number, "value": "10", "reading_date": today.isoformat()},
        summaries={normalize_serial(s.meter.serial_number): s for s in summaries},
        all_serials={normalize_serial(meter.serial_number)},
        today=today,
    )


def test_a_suspended_meter_is_refused_by_the_readings_form_until_restored():
    cast = Cast()
    removal = cast.case()  # tampering found on a field visit: suspended at once (§1.2)
    today = datetime.date(2026, 12, 1)
    form = line_form(removal.meter, today)
    assert not form.is_valid()
    assert "suspended" in form.errors["serial_number"][0]
    services.restore_supply(removal=removal, actor=cast.staff, note="Seals restored, consumer warned")
    form = line_form(removal.meter, today)
    form.is_valid()
    assert "serial_number" not in form.errors
