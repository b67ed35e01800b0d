"""Create the object store's buckets named in STORAGES, when missing (docker-compose.yml's MinIO,
a fresh test server). In production the buckets are provisioned with their policies beforehand;
this only ever adds a private bucket and never changes one that exists."""

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the S3 buckets of the default and private storages if they do not exist."

    def handle(self, *args, **options):
        buckets = {}
        for alias in ("default", "private"):
            storage = storages[alias]
            if hasattr(storage, "bucket_name"):
                buckets.setdefault(storage.bucket_name, storage)
        if not buckets:
            self.stdout.write("Files are on the local disk (S3_BUCKET is not set): no bucket to create.")
            return
        for name, storage in buckets.items():
            client = storage.connection.meta.client
            existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
            if name in existing:
                self.stdout.write(f"bucket {name} exists")
                continue
            region = storage.region_name or "us-east-1"
            # S3 wants the region named, except for its first one.
            where = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            try:
                client.create_bucket(Bucket=name, **where)
            except client.exceptions.BucketAlreadyOwnedByYou:
                pass
            except client.exceptions.ClientError as error:
                raise CommandError(f"could not create bucket {name}: {error}") from error
            self.stdout.write(self.style.SUCCESS(f"bucket {name} created"))
