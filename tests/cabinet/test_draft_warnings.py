"""Saved drafts are kept whatever they hold, but the subscriber is warned at once about a value
that will be refused or is most likely a typo."""

import datetime

import pytest

from cabinet.models import PeriodReading
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import row_data, url, water_meter, water_tenant

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 10, 7)


@pytest.fixture
def tenant(db):
    return water_tenant()


@pytest.fixture
def contract(tenant, user):
    return linked_contract(tenant, user, readings_deadline_day=8)


@pytest.fixture
def meter(contract):
    return water_meter(contract, serial_number="ХВ-1", previous="120", previous_date=datetime.date(2026, 9, 5))


def save(client, tenant, contract, data):
    return client.post(url(tenant, "period", contract), {**data, "period": "2026-09", "save": "1"}, follow=True)


@pytest.fixture
def cabinet(client, freeze_today, user):
    freeze_today(TODAY)
    client.force_login(user)
    return client


def test_a_draft_far_above_the_usual_consumption_is_saved_with_a_warning(cabinet, tenant, contract, meter):
    text = save(cabinet, tenant, contract, row_data(meter, "9120", TODAY)).text
    assert PeriodReading.objects.get(meter=meter).status == PeriodReading.Status.DRAFT
    assert "Meter ХВ-1: 9120 m³ is far above its usual consumption" in text


def test_a_future_dated_draft_is_saved_with_a_warning(cabinet, tenant, contract, meter):
    text = save(cabinet, tenant, contract, row_data(meter, "125", TODAY + datetime.timedelta(days=3))).text
    assert PeriodReading.objects.get(meter=meter).status == PeriodReading.Status.DRAFT
    assert "is in the future; Submit will refuse it" in text


def test_a_plausible_draft_gets_no_warning(cabinet, tenant, contract, meter):
    text = save(cabinet, tenant, contract, row_data(meter, "125", TODAY)).text
    assert "1 draft saved." in text
    assert "far above" not in text and "in the future" not in text


def test_a_negative_value_is_refused_at_its_row_with_a_clear_message(cabinet, tenant, contract, meter):
    text = save(cabinet, tenant, contract, row_data(meter, "-5", TODAY)).text
    assert "A reading cannot be negative." in text
    assert not PeriodReading.objects.exists()


def test_an_unreadable_value_says_why(cabinet, tenant, contract, meter):
    text = save(cabinet, tenant, contract, row_data(meter, "12.3.4", TODAY)).text
    assert "Not a number: “12.3.4” has more than one decimal separator." in text
