"""The demo tariffs: published prices, branch-specific where the source says so, seeded idempotently."""

import datetime
from decimal import Decimal

import pytest

from billing import demo
from billing.models import Tariff, TariffBlock
from billing.services import charge, tariff_in_force
from portal import demo as portal_demo
from portal.models import Branch, Tenant


@pytest.fixture
def seeded(db):
    portal_demo.seed_tenants()
    portal_demo.seed_branches({tenant.slug: tenant for tenant in Tenant.objects.all()})
    demo.seed()


def price(slug, branch_code, service, category="household", on=datetime.date(2026, 10, 1)):
    tenant = Tenant.objects.get(slug=slug)
    branch = Branch.objects.get(tenant=tenant, code=branch_code)
    tariff = tariff_in_force(tenant=tenant, service=service, category=category, branch=branch, on=on)
    return tariff.blocks.get().price


def test_azersu_household_water_costs_more_in_baku_sumgayit_and_absheron(seeded):
    assert price("azersu", "nasimi", "water") == Decimal("0.70")
    assert price("azersu", "sumgayit", "water") == Decimal("0.70")
    assert price("azersu", "absheron", "water") == Decimal("0.70")
    assert price("azersu", "ganja", "water") == Decimal("0.60")
    assert price("azersu", "ganja", "wastewater") == Decimal("0.30")
    assert price("azersu", "ganja", "water", category="legal_entity") == Decimal("1.00")


def test_azerishiq_household_tiers_price_350_kwh_at_34_30(seeded):
    tenant = Tenant.objects.get(slug="azerishiq")
    tariff = tariff_in_force(
        tenant=tenant,
        service="electricity",
        category="household",
        branch=Branch.objects.get(tenant=tenant, code="ganja"),
        on=datetime.date(2026, 1, 31),
    )

    assert sum(quantity * unit_price for quantity, unit_price in charge(consumption=350, tariff=tariff)) == Decimal(
        "34.30"
    )


def test_izhevsk_wastewater_follows_the_july_tariff_changes(seeded):
    assert price("izhvodokanal", "leninsky", "wastewater", on=datetime.date(2024, 6, 30)) == Decimal("28.37")
    assert price("izhvodokanal", "leninsky", "wastewater", on=datetime.date(2024, 7, 1)) == Decimal("30.91")
    assert price("izhvodokanal", "leninsky", "wastewater", on=datetime.date(2026, 7, 1)) == Decimal("33.49")


def test_every_demo_tariff_cites_its_source_and_seeding_twice_changes_nothing(seeded):
    tariffs, blocks = Tariff.objects.count(), TariffBlock.objects.count()

    demo.seed()

    assert (Tariff.objects.count(), TariffBlock.objects.count()) == (tariffs, blocks)
    assert not Tariff.objects.filter(source="").exists()
