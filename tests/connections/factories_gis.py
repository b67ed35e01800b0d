"""Factories for the GIS rows of the grid connection, and fast bulk builders for the size tests."""

import factory

from connections.models import District, Parcel, PowerCentre
from tests.portal.factories import TenantFactory

# Nəsimi, Baku: the origin most tests measure from.
BAKU_LAT, BAKU_LON = 40.3850, 49.8370


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    tenant = factory.SubFactory(TenantFactory)
    code = factory.Sequence(lambda n: f"district{n}")
    name = factory.Sequence(lambda n: f"Rayon {n}")
    latitude = BAKU_LAT
    longitude = BAKU_LON


class PowerCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PowerCentre

    tenant = factory.SelfAttribute("district.tenant")
    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"TM-{n}")
    name = factory.Sequence(lambda n: f"Transformator məntəqəsi {n}")
    kind = PowerCentre.Kind.TRANSFORMER_POINT
    high_voltage_kv = "10"
    low_voltage_kv = "0.4"
    rated_kva = "630"
    available_kva = "200"
    latitude = BAKU_LAT
    longitude = BAKU_LON
    data_version = "test-1"


class ParcelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parcel

    tenant = factory.SelfAttribute("district.tenant")
    district = factory.SubFactory(DistrictFactory)
    registry_number = factory.Sequence(lambda n: f"NSM-{n:05d}")
    registration_number = factory.Sequence(lambda n: f"R{n:05d}")
    latitude = BAKU_LAT
    longitude = BAKU_LON
    data_version = "test-1"


def offset(metres_north=0.0, metres_east=0.0, *, lat=BAKU_LAT, lon=BAKU_LON):
    """A point this many metres north and east of (lat, lon), on the sphere the haversine uses."""
    import math

    from connections.gis.geometry import EARTH_RADIUS_M

    dlat = math.degrees(metres_north / EARTH_RADIUS_M)
    dlon = math.degrees(metres_east / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return lat + dlat, lon + dlon


def bulk_parcels(district, count, *, prefix="BULK"):
    """``count`` parcels in and around Baku, written in batches (100,000 in a few seconds)."""
    rows = [
        Parcel(
            tenant_id=district.tenant_id,
            district=district,
            registry_number=f"{prefix}-{n:07d}",
            registration_number=f"{n:07d}",
            latitude=BAKU_LAT - 0.2 + (n % 400) * 0.001,
            longitude=BAKU_LON - 0.2 + (n // 400 % 400) * 0.001,
        )
        for n in range(count)
    ]
    Parcel.objects.bulk_create(rows, batch_size=5000)


def bulk_centres(district, count, *, prefix="BULK", available_kva="100"):
    rows = [
        PowerCentre(
            tenant_id=district.tenant_id,
            district=district,
            code=f"{prefix}-{n:06d}",
            name=f"TM {n}",
            kind=PowerCentre.Kind.TRANSFORMER_POINT if n % 3 else PowerCentre.Kind.POLE,
            high_voltage_kv="10",
            low_voltage_kv="0.4",
            rated_kva="400",
            available_kva=available_kva if n % 5 else "0",
            latitude=BAKU_LAT - 0.5 + (n % 100) * 0.01,
            longitude=BAKU_LON - 0.5 + (n // 100 % 100) * 0.01,
        )
        for n in range(count)
    ]
    PowerCentre.objects.bulk_create(rows, batch_size=5000)
