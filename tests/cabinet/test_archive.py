"""The readings archive (W5): the contract's accepted readings by connection point and date range,
newest first, paged by keyset (no OFFSET), exported as CSV, showing a submission at once."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from meters.models import Reading
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import row_data, url, water_meter, water_tenant
from tests.meters.factories import ReadingFactory, ServicePointFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def tenant(db):
    return water_tenant()


@pytest.fixture
def contract(tenant, user):
    return linked_contract(tenant, user, readings_deadline_day=8)


@pytest.fixture
def cabinet(client, user):
    client.force_login(user)
    return client


def many_readings(meter, count, start=D(2000, 1, 1)):
    """``count`` accepted readings of ``meter``, one a day from ``start``."""
    Reading.objects.bulk_create(
        Reading(
            tenant=meter.tenant,
            meter=meter,
            value=Decimal(number),
            reading_date=start + datetime.timedelta(days=number),
            source=Reading.Source.STAFF,
        )
        for number in range(count)
    )


def shown_values(response):
    return [reading.value for reading in response.context["result"].readings]


def test_filters_by_connection_point_and_date_range(cabinet, tenant, contract):
    north = water_meter(contract, point=ServicePointFactory(contract=contract, address="North"), previous=None)
    south = water_meter(contract, point=ServicePointFactory(contract=contract, address="South"), previous=None)
    for meter, value, day in ((north, 1, D(2026, 1, 5)), (north, 2, D(2026, 2, 5)), (south, 3, D(2026, 2, 6))):
        ReadingFactory(meter=meter, value=Decimal(value), reading_date=day)
    ReadingFactory(meter=north, value=Decimal(9), reading_date=D(2026, 3, 1), status=Reading.Status.SUPERSEDED)
    other_contract = linked_contract(tenant, contract.organization.memberships.get().user)
    ReadingFactory(meter=water_meter(other_contract, previous=None), value=Decimal(77), reading_date=D(2026, 2, 7))

    page = url(tenant, "archive", contract)
    assert shown_values(cabinet.get(page)) == [3, 2, 1]
    assert shown_values(cabinet.get(page, {"service_point": north.service_point_id})) == [2, 1]
    assert shown_values(cabinet.get(page, {"date_from": "2026-02-01", "date_to": "2026-02-05"})) == [2]


def test_pages_follow_the_last_date_and_id_without_offset(cabinet, tenant, contract):
    meter = water_meter(contract, previous=None)
    many_readings(meter, 100)
    # Two readings on one day: the id breaks the tie, so neither is lost between pages.
    ReadingFactory(meter=meter, value=Decimal("49.5"), reading_date=D(2000, 1, 1) + datetime.timedelta(days=49))
    page = url(tenant, "archive", contract)
    seen = []
    response = cabinet.get(page)
    with CaptureQueriesContext(connection) as queries:
        while True:
            seen += shown_values(response)
            older = response.context["older_url"]
            if older is None:
                break
            assert "after=" in older
            response = cabinet.get(page + older)
    assert len(seen) == 101 and len(set(seen)) == 101
    assert seen[:2] == [99, 98] and seen[-1] == 0
    assert seen.index(Decimal("49.5")) == seen.index(49) - 1  # newer id first on the same day
    assert not any("OFFSET" in query["sql"].upper() for query in queries.captured_queries)


def test_the_csv_export_streams_the_filtered_rows(cabinet, tenant, contract):
    north = water_meter(contract, point=ServicePointFactory(contract=contract, address="North"), previous=None)
    south = water_meter(contract, point=ServicePointFactory(contract=contract, address="South"), previous=None)
    ReadingFactory(meter=north, value=Decimal(5), reading_date=D(2026, 1, 5))
    ReadingFactory(meter=south, value=Decimal(6), reading_date=D(2026, 1, 6))
    response = cabinet.get(url(tenant, "archive_csv", contract), {"service_point": north.service_point_id})
    assert isinstance(response, StreamingHttpResponse)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == [
        "Date;Meter number;Kind;Connection point;Reading;Source",
        f"2026-01-05;{north.serial_number};Cold water;North;5;Staff",
    ]


def test_a_submitted_reading_is_in_the_archive_at_once(cabinet, freeze_today, tenant, contract):
    meter = water_meter(contract, previous="120", previous_date=D(2026, 9, 5))
    freeze_today(D(2026, 10, 7))
    cabinet.post(
        url(tenant, "period", contract), {**row_data(meter, "131", D(2026, 10, 7)), "period": "2026-10", "submit": "1"}
    )
    response = cabinet.get(url(tenant, "archive", contract))
    assert shown_values(response)[0] == 131
    assert "Legal entity" in response.content.decode()


def test_the_archive_costs_the_same_queries_for_10_and_10000_readings(cabinet, tenant, contract):
    meter = water_meter(contract, previous=None)
    many_readings(meter, 10)
    page = url(tenant, "archive", contract)
    cabinet.get(page)
    with CaptureQueriesContext(connection) as ten:
        cabinet.get(page)
    many_readings(meter, 9990, start=D(1990, 1, 1))
    with CaptureQueriesContext(connection) as ten_thousand:
        response = cabinet.get(page)
    assert len(shown_values(response)) == 50
    assert len(ten_thousand) == len(ten)


def test_a_filtered_archive_offers_a_reset_to_the_unfiltered_one(cabinet, tenant, contract):
    page = url(tenant, "archive", contract)
    assert 'id="reset-filter"' not in cabinet.get(page).content.decode()
    text = cabinet.get(page, {"date_from": "2026-02-01"}).content.decode()
    assert f'<a href="{page}" id="reset-filter">Reset filter</a>' in text


def test_a_new_reading_is_stamped_with_the_contract_of_its_meter(tenant, contract):
    meter = water_meter(contract, previous=None)
    saved = ReadingFactory(meter=meter, value=Decimal(1), reading_date=D(2026, 1, 5))
    many_readings(meter, 3)

    assert saved.contract_id == contract.pk
    assert set(Reading.objects.filter(meter=meter).values_list("contract_id", flat=True)) == {contract.pk}


def test_a_household_reading_has_no_contract(tenant):
    reading = ReadingFactory(value=Decimal(1), reading_date=D(2026, 1, 5))

    assert reading.contract_id is None


def test_the_csv_export_is_one_query_for_any_number_of_rows(cabinet, tenant, contract):
    many_readings(water_meter(contract, previous=None), 5000)
    response = cabinet.get(url(tenant, "archive_csv", contract))
    with CaptureQueriesContext(connection) as queries:
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == 1 + 5000  # the header and the rows
    assert len(queries) <= 2
