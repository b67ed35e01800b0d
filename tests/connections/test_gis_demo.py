"""The demo GIS: real districts, generated parcels and centres, idempotent, and walkable."""

import pytest

from connections import gis
from connections.demo_gis import DISTRICTS, seed_gis
from connections.models import District, Parcel, PowerCentre
from tests.portal.factories import BranchFactory, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def azerishiq(db):
    tenant = TenantFactory(slug="azerishiq", name="Azerishiq")
    BranchFactory(tenant=tenant, code="baku-south", name="Bakı Cənub Elektrik Şəbəkəsi")
    return tenant


def test_the_demo_seeds_real_districts_routed_to_the_branches_and_is_idempotent(
    azerishiq, django_assert_max_num_queries
):
    first = seed_gis(azerishiq)
    with django_assert_max_num_queries(60):  # bulk writes, not a query per parcel
        second = seed_gis(azerishiq)

    assert first == second == (len(DISTRICTS), 300, 80)
    assert Parcel.objects.for_tenant(azerishiq).count() == 300
    assert PowerCentre.objects.for_tenant(azerishiq).count() == 80
    nasimi = District.objects.get(tenant=azerishiq, code="nasimi")
    assert (nasimi.name, nasimi.branch.code) == ("Nəsimi", "baku-south")
    assert District.objects.get(tenant=azerishiq, code="ganja").branch is None  # no such branch here


def test_the_named_demo_parcels_can_be_walked(azerishiq):
    seed_gis(azerishiq)
    nasimi = District.objects.get(tenant=azerishiq, code="nasimi")

    exact = gis.locate(azerishiq, district=nasimi, registry_number="NSM-0001", registration_number="050001", power_kw=8)
    approximate = gis.locate(
        azerishiq, district=nasimi, registry_number="NSM-0010", registration_number="050010", power_kw=8
    )
    large = gis.locate(
        azerishiq, district=nasimi, registry_number="NSM-0001", registration_number="050001", power_kw=150
    )

    assert exact.approximate is False and 0 < exact.distance_m < 5000
    assert approximate.approximate is True
    assert large.centre.available_kva >= 167  # 150 kW / 0.9: TM-1 (240 kVA) only, the others are too small
    assert large.centre.code == "NSM-TM-1"
