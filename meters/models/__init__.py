from .accounts import Meter, Reading, SubscriberAccount
from .cabinet import HotWaterVolume, PeriodReading
from .contracts import Contract, ContractLink, ServicePoint
from .storage import private_storage
from .submissions import InspectedReading, OnSiteCheck, ReadingsApplication, SubmittedReading

__all__ = [
    "Contract",
    "ContractLink",
    "HotWaterVolume",
    "InspectedReading",
    "Meter",
    "OnSiteCheck",
    "PeriodReading",
    "Reading",
    "ReadingsApplication",
    "ServicePoint",
    "SubmittedReading",
    "SubscriberAccount",
    "private_storage",
]
