"""A month of varied billing data for the billing run's tests: tiered and flat tariffs, VAT
included and added, a branch's own price, a tariff changing mid-month, a legal entity whose
cabinet member reads Russian, meters without a reading, below the previous one, new ones."""

import datetime
from decimal import Decimal

from billing.models import Invoice, InvoiceLine, InvoiceSequence, Tariff
from meters.models import Meter
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.billing.conftest import book, make_tariff
from tests.meters.factories import ContractFactory, MeterFactory, SubscriberAccountFactory
from tests.portal.factories import BranchFactory

PERIOD = datetime.date(2026, 10, 1)
PERIOD_END = datetime.date(2026, 10, 31)
ISSUED_ON = datetime.date(2026, 11, 2)
BEFORE = datetime.date(2026, 9, 28)


def day(number):
    return datetime.date(2026, 10, number)


def seed_month(tenant, branch, *, accounts=6):
    """Tariffs and accounts of ``tenant`` with readings in October 2026; returns the accounts."""
    other_branch = BranchFactory(tenant=tenant)
    make_tariff(tenant, service="water", blocks=(("10", "0.70"), (None, "1.0500")))
    make_tariff(tenant, service="water", blocks=((None, "0.60"),), branches=[other_branch])
    # Wastewater gets a new price from 16 October: a reading on the 20th is priced by it.
    make_tariff(tenant, service="wastewater", blocks=((None, "0.30"),), valid_to=day(15))
    make_tariff(tenant, service="wastewater", blocks=((None, "0.35"),), valid_from=day(16))
    # Electricity: two bounded blocks and no unbounded one (the rest priced at the last block).
    make_tariff(tenant, service="electricity", blocks=(("200", "0.084"), ("300", "0.1")), vat_rate="18")
    make_tariff(tenant, service="hot_water", blocks=((None, "2.1234"),), vat_rate="20", include_vat=False)
    make_tariff(
        tenant,
        service="water",
        category=Tariff.Category.LEGAL_ENTITY,
        blocks=((None, "1.9"),),
        vat_rate="20",
        include_vat=False,
    )
    make_tariff(
        tenant,
        service="wastewater",
        category=Tariff.Category.LEGAL_ENTITY,
        blocks=((None, "0.9"),),
        vat_rate="20",
        include_vat=False,
    )
    created = []
    for index in range(accounts):
        account = SubscriberAccountFactory(tenant=tenant, branch=other_branch if index % 3 == 2 else branch)
        water = MeterFactory(account=account, serial_number=f"W-{index}", initial_reading=Decimal("5"))
        book(water, "100", BEFORE)
        book(water, str(104 + 3 * index), day(10 + index))  # 4, 7, 10, 13 … m³
        book(water, str(101 + 3 * index), day(5))  # earlier in the month: the latest one counts
        if index % 2 == 0:
            power = MeterFactory(account=account, kind=Meter.Kind.ELECTRICITY, serial_number=f"E-{index}")
            book(power, "1000", BEFORE)
            book(power, str(1000 + 150 + 90 * index), day(20))  # 150, 330, 510 kWh
        created.append(account)
    special = SubscriberAccountFactory(tenant=tenant, branch=branch, code="AB-77-001")
    hot = MeterFactory(account=special, kind=Meter.Kind.HOT_WATER, serial_number="H-1", initial_reading=Decimal("7"))
    book(hot, "19.5", day(20))  # new meter: measured from its reading at installation
    below = MeterFactory(account=special, serial_number="W-LOW")
    book(below, "50", BEFORE)
    book(below, "40", day(3))  # below the previous one: billed as zero
    MeterFactory(account=special, serial_number="W-SILENT")  # no reading this month: no line
    gas = MeterFactory(account=special, kind=Meter.Kind.GAS, serial_number="G-1")
    book(gas, "10", day(9))  # no gas tariff entered: no line
    created.append(special)
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=UserFactory(preferred_language="ru"))
    contract = ContractFactory(tenant=tenant, account__branch=branch, organization=organization)
    legal = MeterFactory(account=contract.account, serial_number="L-1")
    book(legal, "300", BEFORE)
    book(legal, "342.125", day(8))
    created.append(contract.account)
    inactive = SubscriberAccountFactory(tenant=tenant, branch=branch, is_active=False)
    book(MeterFactory(account=inactive), "30", day(4))
    return created


def snapshot(tenant):
    """Every invoice of ``tenant`` with its lines, as comparable tuples, by account."""
    invoices = []
    for invoice in Invoice.objects.for_tenant(tenant).order_by("account_id", "pk"):
        lines = [
            (
                line.service,
                line.meter_id,
                line.description,
                line.quantity,
                line.unit,
                line.unit_price,
                line.net_amount,
                line.vat_amount,
                line.amount,
                line.vat_rate,
                line.prices_include_vat,
                line.previous_value,
                line.previous_date,
                line.current_value,
                line.current_date,
            )
            for line in InvoiceLine.objects.filter(invoice=invoice).order_by("pk")
        ]
        invoices.append(
            (
                invoice.account_id,
                invoice.number,
                invoice.period_start,
                invoice.period_end,
                invoice.issued_on,
                invoice.due_on,
                invoice.currency,
                invoice.net_total,
                invoice.vat_total,
                invoice.total,
                invoice.payment_reference,
                invoice.status,
                invoice.language,
                lines,
            )
        )
    return invoices


def sequence_value(tenant, year=ISSUED_ON.year):
    row = InvoiceSequence.objects.filter(tenant=tenant, year=year).first()
    return row.last_value if row else 0
