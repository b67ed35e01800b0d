"""The S3 storage backends named by portal.storage.s3_storages (django-storages, boto3).

Kept apart from portal.storage so that a process on the local disk never imports boto3.
"""

from pathlib import PurePosixPath

from storages.backends.s3 import S3Storage

from portal.storage import attachment_parameters


class PrivateS3Storage(S3Storage):
    """Personal files on S3: private objects, names never overwritten, URLs always signed,
    short-lived and answered as attachments (also the ones Django builds by itself, such as the
    admin's file widget)."""

    # No ACL on the objects: they inherit the bucket's (private; README.md "Object storage"), and
    # buckets that enforce the owner's ACLs refuse requests that name one.
    default_acl = None
    querystring_auth = True
    file_overwrite = False
    signs_urls = True  # portal.storage.signed_url

    def url(self, name, parameters=None, expire=None, http_method=None):
        parameters = {**attachment_parameters(PurePosixPath(name).name), **(parameters or {})}
        return super().url(name, parameters=parameters, expire=expire, http_method=http_method)


class PublicMediaS3Storage(S3Storage):
    """Public media (tenant logos) on S3. Pages show a logo through portal.views.tenant_logo, under
    our own origin (the Content-Security-Policy allows images from 'self' only, and browsers need
    not reach the store); ``url()`` stays S3's signed one, for the admin's file widget."""

    default_acl = None
    file_overwrite = False
