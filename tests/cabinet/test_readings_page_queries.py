"""Save and Submit on the cabinet readings page cost the same queries for 1 meter as for 100
(issue #12, goal 4: they cost 4 and 7 queries a meter)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabinet.models import PeriodReading
from meters.models import Reading
from tests.cabinet.bulk_support import many_meters, whole_statements  # noqa: F401 (fixture)
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import row_data, url, water_tenant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whole_statements")]
IN_WINDOW = datetime.date(2026, 10, 7)


@pytest.fixture
def tenant(db):
    return water_tenant()


def post_queries(client, tenant, contract, meters, action):
    data = {"period": "2026-10", action: "1"}
    for number, meter in enumerate(meters):
        data.update(row_data(meter, str(100 + number + 5), IN_WINDOW))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url(tenant, "period", contract), data)
    assert response.status_code == 302
    return len(queries)


@pytest.mark.parametrize("action", ["save", "submit"])
def test_saving_and_submitting_cost_the_same_queries_for_1_and_100_meters(client, freeze_today, user, tenant, action):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    one = linked_contract(tenant, user, readings_deadline_day=8)
    hundred = linked_contract(tenant, user, readings_deadline_day=8)
    one_meters, hundred_meters = many_meters(one, 1, prefix="O"), many_meters(hundred, 100, prefix="H")
    client.get(url(tenant, "period", one))  # warm the session and the calendar caches

    assert post_queries(client, tenant, one, one_meters, action) == post_queries(
        client, tenant, hundred, hundred_meters, action
    )
    status = PeriodReading.Status.DRAFT if action == "save" else PeriodReading.Status.ACCEPTED
    assert PeriodReading.objects.filter(meter__in=hundred_meters, status=status).count() == 100
    booked = Reading.objects.filter(meter__in=hundred_meters, source=Reading.Source.LEGAL_ENTITY).count()
    assert booked == (100 if action == "submit" else 0)
