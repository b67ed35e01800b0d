"""Factories for subscriber accounts, meters, readings, applications and tariffs (W1 cores)."""

import datetime
import uuid
from decimal import Decimal

import factory

from applications.models import Application, ApplicationKind
from billing.models import Tariff, TariffBlock
from meters.models import Meter, Reading, SubscriberAccount
from readings.kinds import METER_READINGS
from tests.factories import BranchFactory, TenantFactory, UserFactory


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


class ApplicationKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationKind
        django_get_or_create = ("tenant", "code")

    tenant = factory.SubFactory(TenantFactory)
    code = METER_READINGS
    name = "Meter readings"
    due_working_days = 5


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A bare application row; services create real ones with numbers and timelines."""

    class Meta:
        model = Application

    tenant = factory.SubFactory(TenantFactory)
    kind = factory.SubFactory(ApplicationKindFactory, tenant=factory.SelfAttribute("..tenant"))
    number = factory.Sequence(lambda n: f"TST-2026-{n:06d}")
    applicant = factory.SubFactory(UserFactory)
    language = "en"
    idempotency_key = factory.LazyFunction(lambda: uuid.uuid4().hex)
    due_on = datetime.date(2026, 12, 1)


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    tenant = factory.SubFactory(TenantFactory)
    name = "Water, households"
    service = "water"
    category = Tariff.Category.HOUSEHOLD
    valid_from = datetime.date(2021, 2, 1)
    vat_rate = Decimal("18.00")
    prices_include_vat = True


class TariffBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TariffBlock

    tariff = factory.SubFactory(TariffFactory)
    up_to = None
    price = Decimal("0.7000")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Organization"
        django_get_or_create = ("tax_number",)

    tax_number = factory.Sequence(lambda n: f"18{n:08d}")
    name = factory.Sequence(lambda n: f"Company {n} LLC")
    legal_address = "Udmurtskaya 1, Izhevsk"


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract with its legal-entity billing account; link it with ``organization=...``."""

    class Meta:
        model = "meters.Contract"

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
        model = "meters.ServicePoint"

    contract = factory.SubFactory(ContractFactory)
    tenant = factory.SelfAttribute("contract.tenant")
    address = factory.Sequence(lambda n: f"Pushkinskaya {n}, Izhevsk")
