"""The default distance provider: the utility's GIS export imported here, the great-circle
distance computed by the database."""

from connections.gis import rules
from connections.gis.errors import NoCentreAvailable, ParcelNotFound
from connections.gis.geometry import bounding_box, haversine_expression
from connections.gis.location import Location
from connections.gis.numbers import normalize_number
from connections.models import Parcel, PowerCentre

# Boxes tried in turn, in metres. Most parcels have a fed centre within a few hundred metres; the
# wider boxes serve a village at the end of a line. The last step drops the box (the whole tenant).
# Each step is one query, so the lookup costs at most len(SEARCH_RADII_M) + 2 queries whatever the
# number of parcels and centres.
SEARCH_RADII_M = (1_000, 5_000, 25_000, 100_000, None)

METHOD = "haversine"


def find_parcel(tenant, *, district, registry_number, registration_number):
    """The tenant's parcel with both numbers in the chosen district, else ParcelNotFound."""
    registry = normalize_number(registry_number)
    registration = normalize_number(registration_number)
    if not registry or not registration or district is None or district.tenant_id != tenant.pk:
        raise ParcelNotFound
    parcel = (
        Parcel.objects.for_tenant(tenant)
        .filter(district=district, registry_number=registry, registration_number=registration)
        .first()
    )
    if parcel is None:
        raise ParcelNotFound
    parcel.district = district  # already loaded by the caller: no query for it later
    return parcel


def centres_within(tenant, *, latitude, longitude, kinds, min_available_kva, radius_m):
    """The candidate centres with their distance, nearest first; inside the bounding box of
    ``radius_m`` (None: the whole tenant). One query, the one bench/gis_nearest.py explains."""
    rows = PowerCentre.objects.for_tenant(tenant).filter(kind__in=kinds, available_kva__gte=min_available_kva)
    if radius_m is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius_m)
        rows = rows.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
    return rows.annotate(distance_m=haversine_expression(latitude, longitude)).order_by("distance_m", "pk")


def nearest_centre(tenant, *, latitude, longitude, kinds, min_available_kva):
    """(centre, distance in metres) of the nearest centre of these kinds with the capacity, or None."""
    for radius in SEARCH_RADII_M:
        best = centres_within(
            tenant,
            latitude=latitude,
            longitude=longitude,
            kinds=kinds,
            min_available_kva=min_available_kva,
            radius_m=radius,
        ).first()
        # A centre in the box's corner may be farther than one just outside its side: accept the
        # answer only when it lies within the radius, which no centre outside the box can beat.
        if best is not None and (radius is None or best.distance_m <= radius):
            return best, best.distance_m
    return None


def combined_version(parcel, centre):
    """Both imports the answer rests on, once when they are the same export."""
    versions = dict.fromkeys(version for version in (parcel.data_version, centre.data_version) if version)
    return " + ".join(versions)


class HaversineProvider:
    method = METHOD

    def locate(self, tenant, *, district, registry_number, registration_number, power_kw, voltage="0.4"):
        parcel = find_parcel(
            tenant, district=district, registry_number=registry_number, registration_number=registration_number
        )
        approximate = not parcel.has_position
        if approximate:
            latitude, longitude = district.latitude, district.longitude
        else:
            latitude, longitude = parcel.latitude, parcel.longitude
        found = nearest_centre(
            tenant,
            latitude=latitude,
            longitude=longitude,
            kinds=rules.feeding_kinds(voltage),
            min_available_kva=rules.required_kva(power_kw),
        )
        if found is None:
            raise NoCentreAvailable
        centre, distance_m = found
        return Location(
            distance_m=round(distance_m),
            centre=centre,
            centre_code=centre.code,
            centre_name=centre.name,
            method=self.method,
            approximate=approximate,
            data_version=combined_version(parcel, centre),
            parcel=parcel,
        )
