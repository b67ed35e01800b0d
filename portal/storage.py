"""Where files live: the local disk (the embedded default) or an S3-compatible object store shared
by every web and worker process (DESIGN.md "Configuration and running": scaling past one machine).

Two storages, both named in ``settings.STORAGES``:

- ``default``: public media (tenant logos only), shown by ``portal.views.tenant_logo``;
- ``private``: personal files (reading photos and drafts, application attachments, contract
  documents, invoice and report PDFs, acts). Never served directly: only through views that check
  the tenant and the owner (portal.access) and answer with portal.files.private_file_response,
  which streams the file or, when ``PRIVATE_FILES_SIGNED_URLS`` is on, redirects to a signed URL
  that expires after ``PRIVATE_FILES_URL_SECONDS``.

Model fields name ``private_storage`` (a callable, so the migrations do not record a backend) and
get a lazy proxy: the backend is looked up in ``settings.STORAGES`` when first used and again after
the setting changes (the S3 tests switch it), like Django's own ``default_storage``.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def private_storage():
    return _private


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def signed_url(file, *, filename, content_type=None, seconds):
    """A URL of ``file`` (a FieldFile) that the object store honours for ``seconds`` and answers
    as an attachment named ``filename``; None when its storage cannot sign (the local disk)."""
    storage = file.storage
    if not getattr(storage, "signs_urls", False):
        return None
    return storage.url(file.name, expire=seconds, parameters=attachment_parameters(filename, content_type))


def attachment_parameters(filename, content_type=None):
    """S3's response overrides: always an attachment with our file name, never cached."""
    return {
        "ResponseContentDisposition": content_disposition_header(True, filename),
        "ResponseContentType": content_type or "application/octet-stream",
        "ResponseCacheControl": "private, no-store",
    }


def s3_storages(env):
    """``STORAGES["default"]`` and ``["private"]`` on the object store named by the environment
    (README.md "Configuration": S3_*); None when S3_BUCKET is not set."""
    bucket = env("S3_BUCKET", default="")
    if not bucket:
        return None
    common = {
        "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
        "region_name": env("S3_REGION", default="us-east-1"),
        # Empty keys leave boto3 to its own chain (instance role, AWS_* variables, ~/.aws).
        "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
        "signature_version": "s3v4",
        "addressing_style": env("S3_ADDRESSING_STYLE", default="path"),
        # Downloads are spooled to a temporary file past 2 MiB instead of held in memory.
        "max_memory_size": 2 * 1024 * 1024,
    }
    private_bucket = env("S3_PRIVATE_BUCKET", default="") or bucket
    return {
        "default": {
            "BACKEND": "portal.s3.PublicMediaS3Storage",
            "OPTIONS": {**common, "bucket_name": bucket, "location": env("S3_MEDIA_PREFIX", default="media")},
        },
        "private": {
            "BACKEND": "portal.s3.PrivateS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket,
                "location": env("S3_PRIVATE_PREFIX", default="private"),
                "querystring_expire": env.int("PRIVATE_FILES_URL_SECONDS", default=60),
            },
        },
    }
