"""Contracts of thousands of meters for the bulk readings tests (issue #12, goal 4), written with
bulk_create: the factories would take minutes."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from meters.models import Meter, Reading
from tests.meters.factories import ServicePointFactory

PREVIOUS_DATE = datetime.date(2026, 9, 5)
HEADER = "Meter number;Installation address;Previous reading;Previous reading date;Current reading;Date\n"


def many_meters(contract, count, *, prefix="BULK"):
    """``count`` cold-water meters on one connection point of ``contract``, each with an accepted
    reading of 100 + its number on PREVIOUS_DATE."""
    point = ServicePointFactory(contract=contract, address="ул. Ленина 1")
    meters = Meter.objects.bulk_create(
        [
            Meter(
                tenant=contract.tenant,
                account=contract.account,
                service_point=point,
                serial_number=f"{prefix}-{number:05d}",
                kind=Meter.Kind.COLD_WATER,
                installed_on=datetime.date(2022, 1, 10),
                verification_due_on=datetime.date(2030, 1, 10),
            )
            for number in range(count)
        ]
    )
    Reading.objects.bulk_create(
        [
            Reading(
                tenant=contract.tenant,
                meter=meter,
                value=Decimal(100 + number),
                reading_date=PREVIOUS_DATE,
                source=Reading.Source.STAFF,
            )
            for number, meter in enumerate(meters)
        ]
    )
    return meters


def csv_file(meters, *, add=5, day="06.10.2026"):
    """A filled template: each meter's previous reading + ``add``."""
    lines = [f"{meter.serial_number};;;;{100 + number + add};{day}\n" for number, meter in enumerate(meters)]
    return (HEADER + "".join(lines)).encode()


@pytest.fixture
def whole_statements(monkeypatch):
    """Django splits a bulk insert on SQLite into statements of 999 parameters, a limit of SQLite
    before 3.32 (this one takes 32,766): lift it, so that the query counts show what the code
    does on PostgreSQL, one statement per round of meters."""
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection.features, "max_query_params", 32_766)
