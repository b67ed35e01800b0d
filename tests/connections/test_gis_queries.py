"""The nearest-centre lookup costs the same few queries with 100 or 100,000 parcels and with a
handful or 10,000 centres."""

import pytest

from connections import gis
from connections.gis.haversine import SEARCH_RADII_M
from tests.connections.factories_gis import (
    DistrictFactory,
    ParcelFactory,
    PowerCentreFactory,
    bulk_centres,
    bulk_parcels,
    offset,
)

pytestmark = pytest.mark.django_db

# The parcel, then at most one query per search radius.
MAX_QUERIES = 1 + len(SEARCH_RADII_M)


@pytest.fixture
def district(tenant):
    return DistrictFactory(tenant=tenant, code="nasimi")


def lookup(tenant, district):
    return gis.locate(tenant, district=district, registry_number="NSM-1", registration_number="1", power_kw=8)


@pytest.mark.parametrize(("parcels", "centres"), [(100, 10), (100_000, 10_000)], ids=["small", "large"])
def test_the_lookup_query_count_does_not_grow_with_the_data(
    tenant, district, parcels, centres, django_assert_max_num_queries
):
    bulk_parcels(district, parcels)
    bulk_centres(district, centres)
    ParcelFactory(district=district, registry_number="NSM-1", registration_number="1")
    near = PowerCentreFactory(district=district, code="NEAR", latitude=offset(150)[0], longitude=offset(150)[1])

    with django_assert_max_num_queries(2):  # the nearest centre is inside the first box
        location = lookup(tenant, district)

    assert location.centre == near


def test_a_far_centre_takes_at_most_one_query_per_radius(tenant, district, django_assert_max_num_queries):
    bulk_parcels(district, 1000)
    ParcelFactory(district=district, registry_number="NSM-1", registration_number="1")
    lat, lon = offset(400_000)
    PowerCentreFactory(district=district, latitude=lat, longitude=lon)

    with django_assert_max_num_queries(MAX_QUERIES):
        location = lookup(tenant, district)

    assert location.distance_m == 400_000
