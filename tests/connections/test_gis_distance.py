"""The default distance provider: the parcel, the nearest power centre that can feed the request,
the great-circle distance computed by the database."""

import pytest
from geographiclib.geodesic import Geodesic

from connections import gis
from connections.gis.geometry import haversine_m
from connections.gis.haversine import HaversineProvider
from connections.models import PowerCentre
from tests.connections.factories_gis import (
    BAKU_LAT,
    BAKU_LON,
    DistrictFactory,
    ParcelFactory,
    PowerCentreFactory,
    offset,
)

pytestmark = pytest.mark.django_db

WGS84 = Geodesic.WGS84


@pytest.fixture
def district(tenant):
    return DistrictFactory(tenant=tenant, code="nasimi", name="Nəsimi", latitude=40.3790, longitude=49.8460)


@pytest.fixture
def parcel(district):
    return ParcelFactory(district=district, registry_number="NSM-0001", registration_number="050001")


def locate(tenant, district, *, registry="NSM-0001", registration="050001", power_kw=8, voltage="0.4"):
    return gis.locate(
        tenant,
        district=district,
        registry_number=registry,
        registration_number=registration,
        power_kw=power_kw,
        voltage=voltage,
    )


def geodesic_m(lat1, lon1, lat2, lon2):
    return WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]


@pytest.mark.parametrize("metres", [300, 5000])
@pytest.mark.parametrize("bearing", [0, 45, 90, 135])
def test_haversine_is_within_half_a_percent_of_the_wgs84_geodesic(metres, bearing):
    far = WGS84.Direct(BAKU_LAT, BAKU_LON, bearing, metres)

    distance = haversine_m(BAKU_LAT, BAKU_LON, far["lat2"], far["lon2"])

    assert distance == pytest.approx(metres, rel=0.005)


@pytest.mark.parametrize("metres", [300, 5000])
def test_the_distance_the_database_computes_is_within_half_a_percent_of_the_geodesic(tenant, district, parcel, metres):
    far = WGS84.Direct(BAKU_LAT, BAKU_LON, 60, metres)
    PowerCentreFactory(district=district, latitude=far["lat2"], longitude=far["lon2"])

    location = locate(tenant, district)

    assert location.distance_m == pytest.approx(geodesic_m(BAKU_LAT, BAKU_LON, far["lat2"], far["lon2"]), rel=0.005)
    assert location.method == "haversine"
    assert location.approximate is False


def test_the_nearest_centre_is_chosen_and_stored_facts_come_with_it(tenant, district, parcel):
    near = PowerCentreFactory(district=district, code="TM-NEAR", latitude=offset(200)[0], longitude=offset(200)[1])
    PowerCentreFactory(district=district, code="TM-FAR", latitude=offset(900)[0], longitude=offset(900)[1])

    location = locate(tenant, district)

    assert location.centre == near
    assert (location.centre_code, location.distance_m) == ("TM-NEAR", 200)
    assert location.parcel == parcel
    assert location.data_version == "test-1"


def test_a_nearer_centre_without_enough_capacity_is_skipped(tenant, district, parcel):
    # 20 kW at a power factor of 0.9 takes 22.3 kVA: 22 kVA left is not enough.
    PowerCentreFactory(
        district=district, code="TM-FULL", available_kva="22.2", latitude=offset(100)[0], longitude=offset(100)[1]
    )
    enough = PowerCentreFactory(
        district=district, code="TM-FREE", available_kva="22.3", latitude=offset(700)[0], longitude=offset(700)[1]
    )

    location = locate(tenant, district, power_kw=20)

    assert location.centre == enough
    assert location.distance_m == 700


def test_a_nearer_substation_does_not_feed_a_04_kv_connection(tenant, district, parcel):
    PowerCentreFactory(
        district=district,
        code="YS-1",
        kind=PowerCentre.Kind.SUBSTATION,
        high_voltage_kv="110",
        low_voltage_kv="35",
        rated_kva="40000",
        available_kva="20000",
        latitude=offset(50)[0],
        longitude=offset(50)[1],
    )
    pole = PowerCentreFactory(
        district=district,
        code="DR-1",
        kind=PowerCentre.Kind.POLE,
        latitude=offset(0, 400)[0],
        longitude=offset(0, 400)[1],
    )

    location = locate(tenant, district)

    assert location.centre == pole
    assert location.distance_m == 400


def test_a_centre_far_away_is_found_by_widening_the_search(tenant, district, parcel):
    lat, lon = offset(60_000, 30_000)
    far = PowerCentreFactory(district=district, latitude=lat, longitude=lon)

    location = locate(tenant, district)

    assert location.centre == far
    assert location.distance_m == pytest.approx(geodesic_m(BAKU_LAT, BAKU_LON, lat, lon), rel=0.005)


def test_a_centre_in_the_corner_of_the_box_loses_to_a_nearer_one_outside_it(tenant, district, parcel):
    # In the 1 km box's corner (1.41 km away) and just outside its side (1.1 km away).
    PowerCentreFactory(district=district, code="CORNER", latitude=offset(990, 990)[0], longitude=offset(990, 990)[1])
    side = PowerCentreFactory(district=district, code="SIDE", latitude=offset(1100)[0], longitude=offset(1100)[1])

    assert locate(tenant, district).centre == side


def test_a_parcel_without_a_position_is_measured_from_the_district_centre_and_says_approximate(tenant, district):
    ParcelFactory(
        district=district, registry_number="NSM-0010", registration_number="050010", latitude=None, longitude=None
    )
    lat, lon = offset(500, lat=district.latitude, lon=district.longitude)
    PowerCentreFactory(district=district, latitude=lat, longitude=lon)

    location = locate(tenant, district, registry="NSM-0010", registration="050010")

    assert location.approximate is True
    assert location.distance_m == 500


def test_numbers_are_found_as_the_applicant_types_them(tenant, district, parcel):
    PowerCentreFactory(district=district)

    assert locate(tenant, district, registry=" nsm-0001 ", registration="050 001").parcel == parcel


@pytest.mark.parametrize(
    ("registry", "registration"),
    [("NSM-9999", "050001"), ("NSM-0001", "059999"), ("", "050001"), ("NSM-0001", "")],
    ids=[
        "unknown registry number",
        "registration number of another parcel",
        "no registry number",
        "no registration number",
    ],
)
def test_an_unknown_or_mismatched_number_is_not_found_with_one_message(
    tenant, district, parcel, registry, registration
):
    PowerCentreFactory(district=district)

    with pytest.raises(gis.ParcelNotFound) as refused:
        locate(tenant, district, registry=registry, registration=registration)

    assert refused.value.code == "parcel_not_found"
    assert refused.value.messages == [str(gis.errors.PARCEL_NOT_FOUND)]


def test_a_parcel_of_another_district_is_not_found(tenant, district, parcel):
    other_district = DistrictFactory(tenant=tenant, code="yasamal")
    PowerCentreFactory(district=other_district)

    with pytest.raises(gis.ParcelNotFound):
        locate(tenant, other_district)


def test_another_tenants_parcel_and_centres_are_invisible(tenant, other_tenant):
    foreign_district = DistrictFactory(tenant=other_tenant)
    ParcelFactory(district=foreign_district, registry_number="NSM-0001", registration_number="050001")
    PowerCentreFactory(district=foreign_district)

    with pytest.raises(gis.ParcelNotFound):
        locate(tenant, foreign_district)

    own_district = DistrictFactory(tenant=tenant)
    ParcelFactory(district=own_district, registry_number="NSM-0001", registration_number="050001")
    with pytest.raises(gis.NoCentreAvailable):  # the other tenant's centre does not feed it
        locate(tenant, own_district)


def test_no_centre_with_capacity_is_a_clear_error(tenant, district, parcel):
    PowerCentreFactory(district=district, available_kva="0")

    with pytest.raises(gis.NoCentreAvailable) as refused:
        locate(tenant, district)

    assert refused.value.code == "no_centre_available"


def test_the_errors_are_validation_errors_in_the_readers_language(tenant, district, parcel):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with pytest.raises(ValidationError) as refused:
        locate(tenant, district, registry="NSM-9999")

    # Lazy: the message is translated when the form shows it, in the reader's language.
    with translation.override("az"):
        assert refused.value.messages[0].startswith("Seçilmiş rayonda bu reyestr nömrəsi")
    with translation.override("ru"):
        assert refused.value.messages[0].startswith("В выбранном районе не найден")


def test_required_kva_follows_the_power_factor_setting(settings):
    from decimal import Decimal

    from connections.gis.rules import required_kva

    assert required_kva(Decimal("8")) == Decimal("8.9")
    settings.CONNECTIONS_POWER_FACTOR = 1.0
    assert required_kva(Decimal("8")) == Decimal("8.0")


def test_the_provider_is_chosen_by_the_setting(settings):
    from connections.gis.http import HttpGisProvider

    assert isinstance(gis.distance_provider(), HaversineProvider)
    settings.CONNECTIONS_DISTANCE_PROVIDER = "connections.gis.http.HttpGisProvider"
    assert isinstance(gis.distance_provider(), HttpGisProvider)
