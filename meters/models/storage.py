# Kept here because migrations refer to meters.models.private_storage.
from portal.storage import private_storage

__all__ = ["private_storage"]
