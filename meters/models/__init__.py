from .accounts import Meter, Reading, SubscriberAccount
from .contracts import Contract, ServicePoint
from .storage import private_storage
from .supply import SupplySuspension

__all__ = ["Contract", "Meter", "Reading", "ServicePoint", "SubscriberAccount", "SupplySuspension", "private_storage"]
