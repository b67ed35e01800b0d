"""Great-circle distances, in Python and as an ORM expression, and the bounding box that
prefilters rows on their indexed latitude/longitude."""

import math

from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

# The mean Earth radius (IUGG R1); the haversine on a sphere of this radius stays within 0.5 % of
# the WGS 84 geodesic at the distances of a connection (tests/connections/test_gis_distance.py).
EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1, lon1, lat2, lon2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(a, 1.0)))


def haversine_expression(latitude, longitude, *, lat_field="latitude", lon_field="longitude"):
    """The distance in metres from (latitude, longitude) to each row, computed by the database
    with functions SQLite (Django registers them) and PostgreSQL both have."""
    phi1 = math.radians(latitude)
    lambda1 = math.radians(longitude)
    phi2 = Radians(F(lat_field))
    lambda2 = Radians(F(lon_field))
    half_dphi_sin = Sin((phi2 - Value(phi1)) / Value(2.0))
    half_dlambda_sin = Sin((lambda2 - Value(lambda1)) / Value(2.0))
    a = Power(half_dphi_sin, Value(2.0)) + Value(math.cos(phi1)) * Cos(phi2) * Power(half_dlambda_sin, Value(2.0))
    # Rounding can push a a hair above 1 for antipodal points; ASIN would fail on PostgreSQL.
    return Value(2 * EARTH_RADIUS_M) * ASin(Sqrt(Least(a, Value(1.0))), output_field=FloatField())


def bounding_box(latitude, longitude, radius_m):
    """(min_lat, max_lat, min_lon, max_lon) holding every point within radius_m: a point outside
    it is farther than radius_m."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    # Meridians converge towards the poles; clamp so the box stays finite (Azerbaijan is at 38-42°).
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    dlon = min(math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat)), 180.0)
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon
