"""STORAGES from the environment (portal.storage.s3_storages): the local disk unless S3_BUCKET is
set; then public media and private files on the object store, each in its own bucket or prefix;
and `manage.py check --deploy` stays clean with those settings."""

import os
import subprocess
import sys

import environ
from django.conf import settings

from portal.storage import s3_storages

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-key-" + "q" * 40,
    "ALLOWED_HOSTS": "portal.abonent.example",
    "CSRF_TRUSTED_ORIGINS": "https://portal.abonent.example",
    "DEBUG": "0",
    "SECURE_SSL": "1",
    "DEV_OUTBOX": "0",
}
S3 = {
    "S3_BUCKET": "abonent-media",
    "S3_PRIVATE_BUCKET": "abonent-private",
    "S3_ENDPOINT_URL": "https://s3.abonent.example",
    "S3_REGION": "eu-central-1",
    "S3_ACCESS_KEY_ID": "portal",
    "S3_SECRET_ACCESS_KEY": "not-a-real-secret",
    "PRIVATE_FILES_SIGNED_URLS": "1",
}


def test_without_a_bucket_the_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    assert s3_storages(environ.Env()) is None


def test_with_one_bucket_private_files_get_a_prefix_of_their_own(monkeypatch):
    monkeypatch.setenv("S3_BUCKET", "abonent")
    monkeypatch.delenv("S3_PRIVATE_BUCKET", raising=False)
    storages = s3_storages(environ.Env())
    assert storages["default"]["BACKEND"] == "portal.s3.PublicMediaS3Storage"
    assert storages["private"]["BACKEND"] == "portal.s3.PrivateS3Storage"
    assert storages["default"]["OPTIONS"]["bucket_name"] == storages["private"]["OPTIONS"]["bucket_name"] == "abonent"
    assert (storages["default"]["OPTIONS"]["location"], storages["private"]["OPTIONS"]["location"]) == (
        "media",
        "private",
    )
    assert storages["private"]["OPTIONS"]["querystring_expire"] == 60


def test_the_deployment_checks_pass_with_the_s3_settings(tmp_path):
    # Only these variables: nothing another test left in this process's environment counts.
    basics = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    environment = {**basics, **PRODUCTION, **S3, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_create_buckets_adds_the_missing_buckets_once(object_store, settings, monkeypatch):
    import uuid

    from django.core.management import call_command

    suffix = uuid.uuid4().hex[:8]
    for name, value in object_store.environment("x").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("S3_BUCKET", f"media-{suffix}")
    monkeypatch.setenv("S3_PRIVATE_BUCKET", f"private-{suffix}")
    settings.STORAGES = {**settings.STORAGES, **s3_storages(environ.Env())}

    call_command("create_buckets")
    call_command("create_buckets")  # nothing to do the second time

    names = {bucket["Name"] for bucket in object_store.client().list_buckets()["Buckets"]}
    assert {f"media-{suffix}", f"private-{suffix}"} <= names
