"""Factories for billing rows: a tariff and its price blocks."""

import datetime
from decimal import Decimal

import factory

from billing.models import Tariff, TariffBlock
from tests.portal.factories import TenantFactory


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
