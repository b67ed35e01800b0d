"""Factories for meters master data (subscriber accounts, meters, readings, contracts, service points)
and an account with a year of readings."""

import datetime
from decimal import Decimal

import factory

from meters.models import Contract, Meter, Reading, ServicePoint, SubscriberAccount
from tests.portal.factories import BranchFactory, TenantFactory

TODAY = datetime.date.today()  # Asia/Baku is ahead of UTC; tests keep a day of margin
LAST_DATE = TODAY - datetime.timedelta(days=30)


class SubscriberAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubscriberAccount

    tenant = factory.SubFactory(TenantFactory)
    branch = factory.SubFactory(BranchFactory, tenant=factory.SelfAttribute("..tenant"))
    code = factory.Sequence(lambda n: f"{1000000 + n}")
    holder_name = factory.Faker("name")
    address = factory.Sequence(lambda n: f"Nizami street {n}, Baku")


class MeterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meter

    account = factory.SubFactory(SubscriberAccountFactory)
    tenant = factory.SelfAttribute("account.tenant")
    serial_number = factory.Sequence(lambda n: f"SN{700000 + n}")
    seal_number = factory.Sequence(lambda n: f"PL{300000 + n}")
    kind = Meter.Kind.COLD_WATER
    model = "Itron Flodis DN15"
    installed_on = datetime.date(2022, 1, 10)
    verification_due_on = datetime.date(2028, 1, 10)


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    meter = factory.SubFactory(MeterFactory)
    tenant = factory.SelfAttribute("meter.tenant")
    value = Decimal("100.000")
    reading_date = datetime.date(2026, 10, 1)
    source = Reading.Source.STAFF


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract with its legal-entity billing account; link it with ``organization=...``."""

    class Meta:
        model = Contract

    tenant = factory.SubFactory(TenantFactory)
    account = factory.SubFactory(
        SubscriberAccountFactory, tenant=factory.SelfAttribute("..tenant"), category="legal_entity"
    )
    number = factory.Sequence(lambda n: f"{4000 + n}")
    tax_number = factory.Sequence(lambda n: f"18{n:08d}")
    counterparty_name = factory.Sequence(lambda n: f"Company {n} LLC")
    signed_on = datetime.date(2024, 3, 1)
    readings_deadline_day = 8
    hot_water_deadline_day = 6


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    contract = factory.SubFactory(ContractFactory)
    tenant = factory.SelfAttribute("contract.tenant")
    address = factory.Sequence(lambda n: f"Pushkinskaya {n}, Izhevsk")


def account_with_history(tenant, branch, *, meters=1, code="1234567", readings=12):
    """An account whose meters were read every 30 days for a year (10 m³ each time), the last
    reading 200 m³ thirty days ago: usual use 1/3 m³ a day, expected range today 200 – 230."""
    account = SubscriberAccountFactory(tenant=tenant, branch=branch, code=code)
    for index in range(meters):
        meter = MeterFactory(account=account, serial_number=f"SN-{index:04d}", seal_number=f"PL{index:04d}")
        for step in range(readings):
            ReadingFactory(
                meter=meter,
                value=Decimal("200") - 10 * step,
                reading_date=LAST_DATE - datetime.timedelta(days=30 * step),
            )
    return account
