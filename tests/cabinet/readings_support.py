"""Shared set-up of the cabinet readings tests (W5): an Izhvodokanal-like tenant on the Russian
calendar, and the connection points and meters of a contract (tests.cabinet.factories.linked_contract)."""

import datetime
from decimal import Decimal

from cabinet.models import CabinetSettings
from meters.models import Meter
from portal.models import Workflow
from portal.urls_helpers import tenant_reverse
from tests.meters.factories import MeterFactory, ReadingFactory, ServicePointFactory
from tests.portal.factories import TenantFactory

# Short names the tests use → the cabinet's URL names.
READINGS_URL_NAMES = {"period": "readings", "upload": "readings_upload", "template": "readings_template"}


def water_tenant(slug="izh", country="RU", workflow=Workflow.CONTRACT_CABINET):
    """A W5 tenant takes cold-water readings only, as Izhvodokanal's settings say (cabinet 0003
    gives existing W5 tenants that setting); a W4 one every meter."""
    tenant = TenantFactory(
        slug=slug,
        name=f"Water {slug}",
        country_code=country,
        timezone="Europe/Samara" if country == "RU" else "Asia/Tashkent",
        currency="RUB" if country == "RU" else "UZS",
        workflows=[workflow],
    )
    w5 = workflow == Workflow.CONTRACT_CABINET
    # As cabinet 0003 and 0004 set them: W5 cold water only in a window, W4 every meter at any time.
    CabinetSettings.objects.create(
        tenant=tenant, readings_meter_kinds=[Meter.Kind.COLD_WATER] if w5 else [], readings_window=w5
    )
    return tenant


def water_meter(contract, *, previous="120", previous_date=datetime.date(2026, 9, 5), point=None, **fields):
    """A cold-water meter at a connection point of ``contract`` with one accepted reading."""
    point = point or ServicePointFactory(contract=contract)
    fields.setdefault("kind", Meter.Kind.COLD_WATER)
    meter = MeterFactory(account=contract.account, service_point=point, **fields)
    if previous is not None:
        ReadingFactory(meter=meter, value=Decimal(previous), reading_date=previous_date)
    return meter


def url(tenant, name, contract, **kwargs):
    return tenant_reverse(
        tenant, "cabinet:" + READINGS_URL_NAMES.get(name, name), kwargs={"contract_id": contract.pk, **kwargs}
    )


def row_data(meter, value, day=None, period=None):
    data = {f"m{meter.pk}-value": value, f"m{meter.pk}-reading_date": day.isoformat() if day else ""}
    if period:
        data["period"] = period
    return data
