"""Demo billing of the cabinet contracts: twelve monthly invoices from the readings, all but the
last paid, the same rows on a second run."""

import datetime
import io
from decimal import Decimal

import pytest

from billing.models import Invoice, Payment
from cabinet import demo_billing as demo_contracts
from portal.dates import add_months, month_start
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.meters.factories import ContractFactory, MeterFactory, ReadingFactory
from tests.portal.factories import TenantFactory


@pytest.fixture
def uzbekenergo_contract(db):
    tenant = TenantFactory(slug="uzbekenergo", timezone="Asia/Tashkent", currency="UZS", country_code="UZ")
    tariff = TariffFactory(
        tenant=tenant,
        name="Elektr energiyasi, yuridik shaxslar",
        service="electricity",
        category="legal_entity",
        unit="kWh",
        valid_from=datetime.date(2020, 1, 1),
        vat_rate=Decimal("12"),
    )
    TariffBlockFactory(tariff=tariff, price=Decimal("1000"))
    contract = ContractFactory(tenant=tenant, number="UZ-DEMO-1")
    meter = MeterFactory(account=contract.account, kind="electricity", installed_on=datetime.date(2019, 1, 1))
    this_month = month_start(tenant.today())
    for offset in range(14, 0, -1):
        day = add_months(this_month, -offset).replace(day=25)
        ReadingFactory(meter=meter, value=Decimal(10000 - 100 * offset), reading_date=day)
    return contract


def test_demo_forms_twelve_monthly_invoices_and_leaves_the_last_one_unpaid(uzbekenergo_contract):
    account = uzbekenergo_contract.account
    out = io.StringIO()

    demo_contracts.seed(out)

    invoices = list(Invoice.objects.filter(account=account).order_by("period_start"))
    assert len(invoices) == 12
    # 100 kWh a month at 1,000 so'm with VAT included.
    assert {invoice.total for invoice in invoices} == {Decimal("100000.00")}
    assert invoices[0].lines.get().quantity == Decimal("100.000")
    assert [invoice.status for invoice in invoices] == ["paid"] * 11 + ["issued"]
    assert Payment.objects.filter(account=account).count() == 11
    assert "UZ-DEMO-1: 12 monthly invoices, 1 outstanding" in out.getvalue()


def test_demo_runs_again_without_new_rows(uzbekenergo_contract):
    demo_contracts.seed()
    numbers = set(Invoice.objects.values_list("number", flat=True))

    demo_contracts.seed()

    assert set(Invoice.objects.values_list("number", flat=True)) == numbers
    assert Payment.objects.count() == 11


def test_demo_without_contracts_skips_politely(db):
    TenantFactory(slug="izhvodokanal")
    out = io.StringIO()

    demo_contracts.seed(out)

    assert "no izhvodokanal contracts yet" in out.getvalue()
    assert not Invoice.objects.exists()
