"""A real S3-compatible server on loopback for the storage tests: moto in server mode, a process of
its own (``python -m moto.server``), spoken to over HTTP by boto3 exactly as production speaks to
its object store; nothing in the test process is mocked.

Without moto the tests that need it are skipped with the reason; under CI=true that is a failure,
as for PostgreSQL and Redis (tests/integration/conftest.py).
"""

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, replace

import pytest

START_TIMEOUT = 30
ACCESS_KEY = "abonent-test"
SECRET_KEY = "abonent-test-secret"  # noqa: S105 - moto's server accepts any key
REGION = "us-east-1"
PUBLIC_BUCKET = "abonent-media"
PRIVATE_BUCKET = "abonent-private"


@dataclass(frozen=True)
class ObjectStore:
    endpoint: str
    prefix: str = ""  # the files of one test (conftest.py's ``s3`` fixture)

    def environment(self, prefix):
        """The S3_* variables (README.md "Object storage") of a portal process using this server,
        its files under ``prefix`` so that tests and runs never meet."""
        return {
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_BUCKET": PUBLIC_BUCKET,
            "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "S3_MEDIA_PREFIX": f"{prefix}/media",
            "S3_PRIVATE_PREFIX": f"{prefix}/private",
        }

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY, config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )  # fmt: skip

    def keys(self, bucket, prefix):
        listing = self.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
        return [item["Key"] for item in listing.get("Contents", [])]

    def private_keys(self):
        """The keys of this test's private files (photos, attachments, PDFs)."""
        return self.keys(PRIVATE_BUCKET, f"{self.prefix}/private/")

    def read_private(self, name):
        return self.client().get_object(Bucket=PRIVATE_BUCKET, Key=f"{self.prefix}/private/{name}")["Body"].read()


def running_in_ci():
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason):
    reason = f"the object storage tests need moto's S3 server: {reason}"
    if running_in_ci():
        pytest.fail(reason + " (under CI=true a missing server is a failure)")
    pytest.skip(reason)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(log_path):
    """Start ``python -m moto.server`` on a free loopback port; (process, ObjectStore) once it answers."""
    # Looked up, not imported: moto stays out of the test process (it hooks botocore when imported).
    if importlib.util.find_spec("moto") is None or importlib.util.find_spec("werkzeug") is None:
        unavailable("moto[server] is not installed (requirements-dev.txt)")
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603
    store = ObjectStore(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            unavailable(f"moto.server exited with {process.returncode}: {log_path.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    else:
        stop_server(process)
        unavailable(f"moto.server did not answer within {START_TIMEOUT}s")
    client = store.client()
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(Bucket=bucket)
    return process, store


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def with_new_prefix(store):
    return replace(store, prefix=f"run-{uuid.uuid4().hex[:12]}")
