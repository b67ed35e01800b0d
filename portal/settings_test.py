"""Settings for the test suite: the production settings, served over plain HTTP to the test
client and the browser tests, with a fast password hasher."""

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

SECURE_SSL = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
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
