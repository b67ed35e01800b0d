"""Settings read from the environment (django-environ).

With nothing set the portal runs on the embedded default: SQLite, Celery tasks executed eagerly
in-process, e-mail and SMS written to the console and to files under var/. Every production
service is switched on by its variable; README.md lists them all.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import environ
from django.utils.translation import gettext_lazy as _

from portal.storage import s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me-" + "x" * 20)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Bottom layer first (DESIGN.md "Layout"): portal, accounts, meters, applications, billing,
    # then the workflow apps.
    "portal",
    "accounts",
    "meters",
    "applications",
    "billing",
    "readings",
    "cabinet",
    "connections",
    "removals",
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.headers.PrivacyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.TenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "portal.middleware.LanguageMiddleware",
    # Right after the language is chosen, so the 413 page is translated; before anything reads the body.
    "portal.limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Widgets in Python, identical to Django's widget templates (portal/form_rendering.py, issue #12).
# Templates go through the cached loader in every environment, DEBUG included: Django's default
# since 4.1 when no "loaders" are set, and runserver drops the cache when a template changes;
# gunicorn must be restarted after editing a template.
FORM_RENDERER = "portal.form_rendering.FastWidgetRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'abonent.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# DATABASE_URL points at PgBouncer in transaction mode (see below).
PGBOUNCER = env.bool("PGBOUNCER", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing with "database is locked" under the dev server.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    # Persistent connections, checked before reuse. Behind PgBouncer they are connections to the
    # pooler, which hands a server connection to one transaction at a time.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if PGBOUNCER:
        # PgBouncer in transaction mode (README.md "Production layout"): consecutive transactions
        # of one Django connection may run on different server connections, so nothing may outlive
        # a transaction: no server-side cursors (.iterator() would hold one WITH HOLD) and no
        # prepared statements (Django's default; kept explicit because Debian's PgBouncer 1.18
        # cannot route them). The code takes no advisory locks and issues no session-level SET;
        # Django's own SET of the time zone is avoided by the database's timezone being UTC.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and security -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out (username, IP) pairs before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling keyed on username + IP so that an attacker cannot lock a real user out from
# elsewhere; attempts are stored in the database (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttling.username_for_axes"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Renders that template with status 429 and the wait in whole minutes.
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.locked_out"
AXES_VERBOSE = False
# The client address every throttle reads (portal/clients.py): REMOTE_ADDR unless PROXY_COUNT
# reverse proxies are in front; PROXY_TRUSTED_IPS (addresses or networks) limits whose
# X-Forwarded-For is believed.
CLIENT_IP_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
CLIENT_IP_TRUSTED_PROXIES = env.list("PROXY_TRUSTED_IPS", default=[])
AXES_CLIENT_IP_CALLABLE = "portal.clients.client_ip"

# Idle timeout: accounts.middleware.SessionLifetimeMiddleware logs out a session idle for longer than
# SESSION_IDLE_SECONDS. It stamps the last activity at most once a SESSION_ACTIVITY_SECONDS (a
# session write a minute, not one per page view: issue #12), so the cookie and the stored session
# live a stamp interval longer than the idle timeout and the middleware's check is the one that ends it.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ACTIVITY_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + SESSION_ACTIVITY_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
# Sessions read from the cache, written through to the database (so a cache flush logs nobody out).
# With Redis every worker shares it; on the embedded default (locmem, one process) it is still correct.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Absolute timeout: a session older than this is ended whatever the activity.
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
OTP_TOTP_ISSUER = "Abonent"

SECURE_SSL = env.bool("SECURE_SSL", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_SSL else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): only our own origin's scripts, styles, images and fonts,
# nothing inline (the tenant's colour comes from the brands.css view, the admin's badges from
# static/css/staff.css). img-src allows data: for the SVG/PNG icons some widgets embed. PDFs are
# rendered server-side by WeasyPrint and are not affected.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (portal.headers): the photo upload is a plain file input (no capture, no
# getUserMedia), so no page needs the camera, the microphone, the location or payments.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
        "payment", "usb",
    )
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "az"
LANGUAGES = [
    ("az", _("Azerbaijani")),
    ("ru", _("Russian")),
    ("uz", _("Uzbek")),
    ("en", _("English")),
]
# The portal's own catalogues first; then Uzbek for what Django ships untranslated in its uz catalogues
# (auth, admin), so citizens and staff do not meet English there.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "django-gaps"]
USE_I18N = True
# Our English date formats (portal/formats/en): one day-month-year style.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Baku"
USE_TZ = True

# --- Static files and uploads -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Public media (tenant logos only). Citizens' uploads and PDFs go to PRIVATE_STORAGE_ROOT and are
# served only through permission-checking views.
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Many machines: with S3_BUCKET set, public media and private files live on an S3-compatible
# object store that every web and worker process shares (portal/storage.py, README.md "Object
# storage"); the local disk above stays the embedded default.
S3_STORAGES = s3_storages(env)
if S3_STORAGES:
    STORAGES.update(S3_STORAGES)
# Private downloads on S3: streamed through the web process (the default, the object store need
# not be reachable from browsers) or a redirect to a URL signed for this many seconds.
PRIVATE_FILES_SIGNED_URLS = env.bool("PRIVATE_FILES_SIGNED_URLS", default=False)
PRIVATE_FILES_URL_SECONDS = env.int("PRIVATE_FILES_URL_SECONDS", default=60)
if DEBUG:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Whole request bodies above this are refused before Django reads them (upload limit + form).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=60 * 1024 * 1024)

# --- E-mail and SMS ---------------------------------------------------------------------------
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail")
if env("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    # django-environ reports missing parts as None/"" (which would clobber Django's defaults) and
    # turns filemail:///var/mail into the relative "var/mail"; take the file path from the URL.
    if _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend") and urlparse(env("EMAIL_URL")).path:
        _email["EMAIL_FILE_PATH"] = urlparse(env("EMAIL_URL")).path
    vars().update({key: value for key, value in _email.items() if value not in (None, "")})
else:
    EMAIL_BACKEND = "portal.email_backends.ConsoleAndFileBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Abonent <no-reply@abonent.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SMS_BACKEND = env("SMS_BACKEND", default="portal.sms.ConsoleAndFileSmsBackend")
SMS_FILE_PATH = env.path("SMS_FILE_PATH", default=VAR_DIR / "sms")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
SMS_SENDER = env("SMS_SENDER", default="Abonent")

# --- Grid connection GIS (W2) -------------------------------------------------------------------
# The distance provider: the imported parcels and centres (great-circle distance in the database),
# or the utility's GIS service over HTTP (connections.gis.http.HttpGisProvider, URL + token).
CONNECTIONS_DISTANCE_PROVIDER = env(
    "CONNECTIONS_DISTANCE_PROVIDER", default="connections.gis.haversine.HaversineProvider"
)
CONNECTIONS_GIS_URL = env("CONNECTIONS_GIS_URL", default="")
CONNECTIONS_GIS_TOKEN = env("CONNECTIONS_GIS_TOKEN", default="")
CONNECTIONS_GIS_TIMEOUT = env.float("CONNECTIONS_GIS_TIMEOUT", default=5.0)
# kVA a request takes from a centre = kW / power factor (connections.gis.rules.required_kva).
CONNECTIONS_POWER_FACTOR = env.float("CONNECTIONS_POWER_FACTOR", default=0.9)
# A GIS export uploaded or imported at once; a whole utility's parcels fit in a few such files.
CONNECTIONS_GIS_IMPORT_MAX_BYTES = env.int("CONNECTIONS_GIS_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

# The development outbox page (/dev/outbox/) lists every message; never on in production.
DEV_OUTBOX = env.bool("DEV_OUTBOX", default=DEBUG)

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# The embedded default: no broker, tasks run in-process (a notification is sent when its
# transaction commits). The in-memory transport only keeps kombu from looking for AMQP on localhost.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers that don't grow (issue #12): WeasyPrint leaves ~0.23 MB per render in the process with no
# plateau, so a child process is replaced after 200 tasks or once it holds 300 MB (in KiB; checked
# after each task, so the task that crosses it still finishes). A replaced child loses nothing:
# tasks are acknowledged late and idempotent.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=300_000)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# A publish must fail fast while the broker is down: the outbox row is already committed and the
# sweep will send it later, so the request must never hang on Redis.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-notifications": {
        "task": "portal.tasks.sweep_pending_notifications",
        "schedule": env.int("OUTBOX_SWEEP_SECONDS", default=60),
    },
    # Invoices whose PDF task was lost (broker down at acceptance) are rendered and e-mailed late.
    "render-missing-invoice-pdfs": {
        "task": "billing.tasks.render_missing_invoice_pdfs",
        "schedule": env.int("INVOICE_PDF_SWEEP_SECONDS", default=120),
    },
    # Technical conditions (W2) whose PDF task was lost are rendered late.
    "render-missing-conditions-pdfs": {
        "task": "connections.tasks.render_missing_conditions_pdfs",
        "schedule": env.int("CONDITIONS_PDF_SWEEP_SECONDS", default=300),
    },
    # Photos attached to W1 forms that were never sent (readings.services.drafts.DRAFT_HOURS).
    "purge-stale-photo-drafts": {
        "task": "readings.tasks.purge_stale_photo_drafts",
        "schedule": env.int("PHOTO_DRAFT_PURGE_SECONDS", default=3600),
    },
    # W3: stages past their legal date are reported to the branch once (StageClock.overdue_noticed_on).
    "notice-overdue-removal-stages": {
        "task": "removals.tasks.notice_overdue_stages",
        "schedule": env.int("REMOVAL_OVERDUE_SWEEP_SECONDS", default=3600),
    },
    # W3 acts whose PDF task was lost (broker down) are rendered late.
    "render-missing-act-pdfs": {
        "task": "removals.tasks.render_missing_act_pdfs",
        "schedule": env.int("ACT_PDF_SWEEP_SECONDS", default=300),
    },
}
# A pending notification younger than this is left to its own on_commit publish.
OUTBOX_SWEEP_GRACE_SECONDS = env.int("OUTBOX_SWEEP_GRACE_SECONDS", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# Backoff between attempts: base, 2 x base, 4 x base, ... capped (30 s ... 1 h by default).
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every document (and of its own stylesheets at import) at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
