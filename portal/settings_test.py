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
