from .accounts import Meter, Reading, SubscriberAccount
from .contracts import Contract, ServicePoint
from .storage import private_storage

__all__ = ["Contract", "Meter", "Reading", "ServicePoint", "SubscriberAccount", "private_storage"]
