"""The rows of the grid connection: the fee schedule (fees.py), the GIS data (gis.py) and the
applications with their stages (requests.py)."""

from .fees import FeeRule, FeeSchedule
from .gis import District, Parcel, PowerCentre
from .requests import ConnectionApplication, ConnectionRequest, ConnectionSettings, PhoneConfirmation

__all__ = [
    "ConnectionApplication",
    "ConnectionRequest",
    "ConnectionSettings",
    "District",
    "FeeRule",
    "FeeSchedule",
    "Parcel",
    "PhoneConfirmation",
    "PowerCentre",
]
