"""Every page under contracts/<contract_id>/ gets its contract from cabinet.access.contract_page:
one query with the tenant and the membership, and its child rows reached through the contract."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern

from cabinet import urls as cabinet_urls
from cabinet.models import CabinetSettings
from meters.models import Contract, Meter
from portal.urls_helpers import tenant_reverse
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import water_meter
from tests.meters.factories import MeterFactory

pytestmark = pytest.mark.django_db

# Extra URL arguments of the pages that take more than the contract; pages about one request
# (its number, an attachment) are covered by the isolation registry.
EXTRA_KWARGS = {"readings_template": {"fmt": "csv"}}
NEEDS_A_REQUEST = {"request_detail", "request_attachment"}


def contract_page_names():
    return [
        pattern.name
        for pattern in cabinet_urls.contract_pages
        if isinstance(pattern, URLPattern) and pattern.name not in NEEDS_A_REQUEST
    ]


@pytest.fixture
def contract(tenant, user, freeze_today):
    freeze_today(datetime.date(2026, 10, 7))
    CabinetSettings.objects.create(tenant=tenant, readings_meter_kinds=[Meter.Kind.COLD_WATER])
    contract = linked_contract(tenant, user)
    meter = water_meter(contract)
    MeterFactory(account=contract.account, service_point=meter.service_point, kind=Meter.Kind.HOT_WATER)
    return contract


def contract_queries(queries):
    table = connection.ops.quote_name(Contract._meta.db_table)
    return [query["sql"] for query in queries if f"FROM {table}" in query["sql"]]


@pytest.mark.parametrize("name", contract_page_names())
def test_each_contract_page_fetches_its_contract_once(name, client, tenant, user, contract):
    client.force_login(user)
    page = tenant_reverse(tenant, f"cabinet:{name}", kwargs={"contract_id": contract.pk, **EXTRA_KWARGS.get(name, {})})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code in (200, 404)  # 404: the contract has no signed document to download
    assert len(contract_queries(captured.captured_queries)) == 1, contract_queries(captured.captured_queries)


def test_every_contract_page_is_a_contract_page():
    """A view under contracts/<contract_id>/ that fetched the contract itself would not go through
    contract_page; its wrapper chain names it."""
    for pattern in cabinet_urls.contract_pages:
        view = pattern.callback
        chain = []
        while view is not None:
            chain.append(view.__code__.co_qualname if hasattr(view, "__code__") else repr(view))
            view = getattr(view, "__wrapped__", None)
        assert any(name.startswith("contract_page.") for name in chain), (pattern.name, chain)
