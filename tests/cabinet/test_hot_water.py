"""Hot-water waste volumes (W5): current − previous hot-water reading where both exist, entered
otherwise; Save at any time, Submit in the window of the contract's hot-water deadline day."""

import datetime
import re
from decimal import Decimal

import pytest

from cabinet.models import HotWaterVolume
from meters.models import Meter
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import url, water_meter, water_tenant
from tests.meters.factories import ReadingFactory, ServicePointFactory

pytestmark = pytest.mark.django_db
D = datetime.date
# Deadline day 6: October's volumes are due by Tuesday 6 October 2026 (window 4-6 October);
# September's deadline, Sunday 6 September, also takes Monday 7 September.
IN_WINDOW = D(2026, 10, 5)


@pytest.fixture
def tenant(db):
    return water_tenant()


@pytest.fixture
def contract(tenant, user):
    return linked_contract(tenant, user, hot_water_deadline_day=6)


@pytest.fixture
def metered_point(contract):
    point = ServicePointFactory(contract=contract, address="ул. Горького 10")
    meter = water_meter(contract, point=point, kind=Meter.Kind.HOT_WATER, previous="40", previous_date=D(2026, 8, 25))
    ReadingFactory(meter=meter, value=Decimal("47"), reading_date=D(2026, 9, 25))
    ReadingFactory(meter=meter, value=Decimal("52"), reading_date=D(2026, 10, 25))  # November's: not counted
    return point


@pytest.fixture
def unmetered_point(contract):
    return ServicePointFactory(contract=contract, address="ул. Советская 3")


@pytest.fixture
def cabinet(client, freeze_today, user):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    return client


def post(client, tenant, contract, data, action):
    return client.post(url(tenant, "hot_water", contract), {"period": "2026-10", action: "1", **data}, follow=True)


def test_the_volume_is_computed_where_both_readings_exist_and_asked_for_elsewhere(
    cabinet, tenant, contract, metered_point, unmetered_point
):
    text = cabinet.get(url(tenant, "hot_water", contract)).content.decode()
    metered = text[text.index(f'id="point-{metered_point.pk}"') :]
    assert '7 <span class="meta">(computed)</span>' in metered[: metered.index("</tr>")]
    assert f'name="p{metered_point.pk}-volume"' not in text
    assert f'name="p{unmetered_point.pk}-volume"' in text


def test_submitting_books_the_computed_and_the_entered_volumes(
    cabinet, tenant, contract, metered_point, unmetered_point
):
    data = {f"p{unmetered_point.pk}-volume": "3.5", f"p{metered_point.pk}-volume": "999"}
    response = post(cabinet, tenant, contract, data, "submit")
    assert "The hot-water volumes are submitted." in response.content.decode()
    computed = HotWaterVolume.objects.get(service_point=metered_point)
    entered = HotWaterVolume.objects.get(service_point=unmetered_point)
    assert (computed.previous_reading, computed.current_reading, computed.volume, computed.computed) == (
        Decimal("40"),
        Decimal("47"),
        Decimal("7"),
        True,
    )
    assert (entered.volume, entered.computed, entered.status) == (Decimal("3.5"), False, "submitted")


def test_a_missing_volume_blocks_the_submission(cabinet, tenant, contract, metered_point, unmetered_point):
    response = post(cabinet, tenant, contract, {}, "submit")
    assert "Enter the volume of every connection point: ул. Советская 3." in response.content.decode()
    assert not HotWaterVolume.objects.exists()


def test_volumes_are_saved_as_drafts_outside_the_window(
    client, freeze_today, user, tenant, contract, metered_point, unmetered_point
):
    freeze_today(D(2026, 10, 20))
    client.force_login(user)
    post(client, tenant, contract, {f"p{unmetered_point.pk}-volume": "2"}, "save")
    assert set(HotWaterVolume.objects.values_list("status", "volume")) == {("draft", Decimal("7")), ("draft", 2)}


def test_submitting_after_the_window_gives_the_next_windows_dates(
    client, freeze_today, user, tenant, contract, unmetered_point
):
    freeze_today(D(2026, 10, 7))
    client.force_login(user)
    response = post(client, tenant, contract, {f"p{unmetered_point.pk}-volume": "2"}, "submit")
    assert "The next window is from 4 November 2026 to 6 November 2026 (for November 2026)" in response.content.decode()
    assert not HotWaterVolume.objects.exists()


def test_a_contract_without_a_hot_water_deadline_does_not_report_volumes(cabinet, tenant, user):
    contract = linked_contract(tenant, user, hot_water_deadline_day=None)
    response = cabinet.get(url(tenant, "hot_water", contract))
    assert "Hot-water volumes are not reported under this contract" in response.content.decode()


def test_the_page_shows_the_previous_volume_and_both_reading_dates(cabinet, tenant, contract, metered_point):
    HotWaterVolume.objects.create(
        tenant=tenant, contract=contract, service_point=metered_point, period=D(2026, 9, 1), volume=Decimal("6")
    )
    text = cabinet.get(url(tenant, "hot_water", contract)).content.decode()
    row = text[text.index(f'id="point-{metered_point.pk}"') :]
    cells = [" ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row[: row.index("</tr>")], re.S)]
    assert cells[0] == '40<br><span class="meta">25.08.2026</span>'
    assert cells[1] == '47<br><span class="meta">25.09.2026</span>'
    assert cells[2] == "6"
