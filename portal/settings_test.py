"""Settings for the test suite: the production settings, served over plain HTTP to the test
client and the browser tests, with a fast password hasher."""

import atexit
import shutil
import tempfile
from pathlib import Path

from portal.settings import *  # noqa: F403
from portal.settings import S3_STORAGES, STORAGES

SECURE_SSL = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Files the tests write (uploads, PDFs, logos) go to a directory of this run, never to var/ of the
# working tree, where they would outlive the run and collide with the demo and with other runs.
# The integration tests pass TEST_FILES_DIR to their worker so that both see the same files.
if env("TEST_FILES_DIR", default=""):
    TEST_FILES_DIR = Path(env("TEST_FILES_DIR"))
else:
    TEST_FILES_DIR = Path(tempfile.mkdtemp(prefix="abonent-test-files-"))
    atexit.register(shutil.rmtree, TEST_FILES_DIR, ignore_errors=True)
MEDIA_ROOT = TEST_FILES_DIR / "media"
PRIVATE_STORAGE_ROOT = TEST_FILES_DIR / "private"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not S3_STORAGES:  # on S3 (the integration tests' processes) the bucket is the run's own
    _private_options = {**STORAGES["private"]["OPTIONS"], "location": PRIVATE_STORAGE_ROOT}
    STORAGES["private"] = {**STORAGES["private"], "OPTIONS": _private_options}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", ".test"]

# Tasks run in-process by default so unit tests need no broker. The integration tests start a real
# worker with CELERY_EAGER=0 and switch the test process to the broker themselves.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
# E-mail: pytest-django switches the test process to locmem; a worker started with this module
# keeps EMAIL_BACKEND/EMAIL_FILE_PATH from the environment.
# SMS kept in memory (portal.sms.outbox), as pytest-django does for e-mail.
SMS_BACKEND = env("SMS_BACKEND", default="portal.sms.LocmemSmsBackend")
# The integration tests give their worker a queue of its own, so that another worker on the same
# Redis never takes their messages.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
LANGUAGE_CODE = "en"  # tests read the source strings unless they switch language on purpose
# Throttle counters live in the cache; each test starts with an empty one. A per-process memory
# cache also keeps tests from flushing the Redis database that CI's Celery broker uses.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
