"""The GIS behind the grid-connection form: where the applicant's property is and how far it is
from the power centre that would feed it.

The form calls ``locate()``; the backend is ``settings.CONNECTIONS_DISTANCE_PROVIDER`` (a dotted
path to a class with the same ``locate`` method): the default ``HaversineProvider`` uses the
parcels and centres imported here, ``HttpGisProvider`` asks the utility's GIS service.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from connections.gis.errors import GisLookupError, GisUnavailable, NoCentreAvailable, ParcelNotFound
from connections.gis.location import Location

__all__ = [
    "GisLookupError",
    "GisUnavailable",
    "Location",
    "NoCentreAvailable",
    "ParcelNotFound",
    "distance_provider",
    "locate",
]


@cache
def _provider(path):
    return import_string(path)()


def distance_provider():
    return _provider(settings.CONNECTIONS_DISTANCE_PROVIDER)


def locate(tenant, *, district, registry_number, registration_number, power_kw, voltage="0.4"):
    """The distance from the parcel to the nearest power centre of the right voltage that can
    supply ``power_kw`` (a Location), or ParcelNotFound / NoCentreAvailable / GisUnavailable,
    each a ValidationError with a message in the active language.

    ``district`` is a District of ``tenant`` (the form's choice); the numbers are taken as typed.
    """
    return distance_provider().locate(
        tenant,
        district=district,
        registry_number=registry_number,
        registration_number=registration_number,
        power_kw=power_kw,
        voltage=voltage,
    )
