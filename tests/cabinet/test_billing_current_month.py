"""The current month's estimate in the W4 cabinet: consumption so far × the tariff in force."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.selectors_cabinet import current_month_estimate
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.cabinet.billing_fixtures import page_url
from tests.meters.factories import MeterFactory, ReadingFactory

D = datetime.date
TODAY = D(2026, 3, 18)


@pytest.fixture
def tiered_tariff(tenant):
    # 100 kWh at 600, the next 200 at 800, the rest at 1,000 so'm; VAT 12 % on top.
    tariff = TariffFactory(
        tenant=tenant,
        name="Electricity, legal entities",
        service="electricity",
        category="legal_entity",
        unit="kWh",
        valid_from=D(2025, 5, 1),
        vat_rate=Decimal("12"),
        prices_include_vat=False,
    )
    for up_to, price in (("100", "600"), ("300", "800"), (None, "1000")):
        TariffBlockFactory(tariff=tariff, up_to=None if up_to is None else Decimal(up_to), price=Decimal(price))
    return tariff


@pytest.fixture
def meter(contract):
    return MeterFactory(account=contract.account, kind="electricity", serial_number="UZ-EL-1", initial_reading=0)


@pytest.fixture
def frozen_today(freeze_today):
    return freeze_today(TODAY)


def test_estimate_prices_consumption_since_the_month_began_through_the_tariff_blocks(contract, meter, tiered_tariff):
    ReadingFactory(meter=meter, value=Decimal("1000"), reading_date=D(2026, 2, 25))
    ReadingFactory(meter=meter, value=Decimal("1200"), reading_date=D(2026, 3, 5))
    ReadingFactory(meter=meter, value=Decimal("1350"), reading_date=D(2026, 3, 15))

    estimate = current_month_estimate(contract, TODAY)

    assert estimate.consumption == Decimal("350")
    # 100 × 600 + 200 × 800 + 50 × 1000 = 270,000 net; VAT 12 % = 32,400.
    assert [(line.quantity, line.unit_price) for line in estimate.lines] == [
        (Decimal("100"), Decimal("600")),
        (Decimal("200"), Decimal("800")),
        (Decimal("50"), Decimal("1000")),
    ]
    assert estimate.net == Decimal("270000.00")
    assert estimate.vat == Decimal("32400.00")
    assert estimate.total == Decimal("302400.00")
    assert estimate.limit_used_percent == Decimal("70.0")
    assert not estimate.over_limit


def test_a_meter_without_a_reading_this_month_counts_zero(contract, meter, tiered_tariff):
    ReadingFactory(meter=meter, value=Decimal("1000"), reading_date=D(2026, 2, 25))

    estimate = current_month_estimate(contract, TODAY)

    assert estimate.consumption == 0
    assert estimate.lines == []


def test_page_marks_the_estimate_and_warns_above_the_limit(member, contract, meter, tiered_tariff, frozen_today):
    ReadingFactory(meter=meter, value=Decimal("1000"), reading_date=D(2026, 2, 25))
    ReadingFactory(meter=meter, value=Decimal("1600"), reading_date=D(2026, 3, 10))

    body = member.get(page_url(contract, "current_month")).content.decode()

    assert "Estimate — the invoice may differ" in body
    assert "120.0 % of the monthly limit" in body
    assert "The monthly limit is exceeded." in body
    assert "600.000 kWh" in body


def test_page_without_readings_stays_quiet_about_the_limit(member, contract, meter, tiered_tariff, frozen_today):
    body = member.get(page_url(contract, "current_month")).content.decode()

    assert "0.0 % of the monthly limit" in body
    assert "The monthly limit is exceeded." not in body
    assert "Nothing consumed this month yet." in body


def _queries(client, url):
    # Warmed up: the first request after a login stamps the session's activity (once a minute).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_estimate_page_costs_the_same_queries_for_1_and_10_meters(member, contract, meter, tiered_tariff, frozen_today):
    ReadingFactory(meter=meter, value=Decimal("10"), reading_date=D(2026, 3, 2))
    one = _queries(member, page_url(contract, "current_month"))
    for number in range(9):
        other = MeterFactory(account=contract.account, kind="electricity", serial_number=f"UZ-EL-X{number}")
        ReadingFactory(meter=other, value=Decimal("10"), reading_date=D(2026, 3, 2))

    assert _queries(member, page_url(contract, "current_month")) == one
