import datetime
from decimal import Decimal

import pytest

from billing.models import Invoice, Tariff
from meters.models import Reading
from tests.applications.factories import ApplicationFactory
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.meters.factories import MeterFactory, ReadingFactory, SubscriberAccountFactory


@pytest.fixture(autouse=True)
def remove_rendered_pdfs(db):
    """Invoice PDFs go to the real private storage; remove the ones a test rendered."""
    yield
    for invoice in Invoice.objects.exclude(pdf=""):
        invoice.pdf.delete(save=False)


@pytest.fixture
def tenant(tenant):
    tenant.application_prefix = "AZS"
    tenant.currency = "AZN"
    tenant.save(update_fields=["application_prefix", "currency"])
    return tenant


@pytest.fixture
def account(tenant, branch, user):
    account = SubscriberAccountFactory(
        tenant=tenant, branch=branch, code="7700123", holder_name="Aysel Mammadova", address="Nizami street 5, Baku"
    )
    account.users.add(user)
    return account


@pytest.fixture
def water_tariffs(tenant):
    """Azersu household water 0.70 and wastewater 0.30 AZN/m³, VAT 18 % included."""
    water = TariffFactory(tenant=tenant, name="Water", service="water", valid_from=datetime.date(2021, 2, 1))
    TariffBlockFactory(tariff=water, price=Decimal("0.70"))
    wastewater = TariffFactory(
        tenant=tenant, name="Wastewater", service="wastewater", valid_from=datetime.date(2021, 2, 1)
    )
    TariffBlockFactory(tariff=wastewater, price=Decimal("0.30"))
    return water, wastewater


def make_tariff(
    tenant,
    *,
    service="water",
    blocks=((None, "0.70"),),
    category=Tariff.Category.HOUSEHOLD,
    valid_from=datetime.date(2021, 2, 1),
    valid_to=None,
    branches=(),
    vat_rate="18",
    include_vat=True,
):
    tariff = TariffFactory(
        tenant=tenant,
        name=f"{service} {valid_from}",
        service=service,
        category=category,
        valid_from=valid_from,
        valid_to=valid_to,
        vat_rate=Decimal(vat_rate),
        prices_include_vat=include_vat,
    )
    for up_to, price in blocks:
        TariffBlockFactory(tariff=tariff, up_to=None if up_to is None else Decimal(up_to), price=Decimal(price))
    tariff.branches.set(branches)
    return tariff


def book(meter, value, day, **fields):
    fields.setdefault("status", Reading.Status.ACCEPTED)
    return ReadingFactory(meter=meter, value=Decimal(value), reading_date=day, **fields)


@pytest.fixture
def meter(account):
    return MeterFactory(account=account, serial_number="SN-1", initial_reading=Decimal("0"))


@pytest.fixture
def application(tenant, account, user):
    return ApplicationFactory(
        tenant=tenant,
        account=account,
        applicant=user,
        language="en",
        contact_email="aysel@example.com",
        number="AZS-2026-000001",
    )


@pytest.fixture
def user(user):
    # Pages in English whatever catalogues ship, so tests can read the words on them.
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user
