from connections.models.gis import District, Parcel, PowerCentre  # noqa: F401
