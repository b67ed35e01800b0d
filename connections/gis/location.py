"""What a distance provider answers."""

from dataclasses import dataclass

from connections.models import Parcel, PowerCentre


@dataclass(frozen=True)
class Location:
    """The distance from the object to the power centre that would feed it.

    ``centre`` is the local PowerCentre row (None when an external GIS names a centre not imported
    here; its code and name are kept in ``centre_code``/``centre_name``). ``approximate`` is true
    when the distance was measured from the district's centroid because the parcel has no
    position. ``method`` names the backend ("haversine", "gis-service") for the application's
    record; ``data_version`` the GIS data the answer came from.
    """

    distance_m: int
    centre: PowerCentre | None
    centre_code: str
    centre_name: str
    method: str
    approximate: bool
    data_version: str
    parcel: Parcel | None
