"""Private storage for uploads and documents: never served directly, only through views that
check the tenant and the owner."""


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]
