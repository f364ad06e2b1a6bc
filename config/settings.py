"""Settings for Acupressure Journal, all read from the environment.

Development needs no environment at all; production sets DEBUG=False, SECRET_KEY, ALLOWED_HOSTS and
(usually) DATABASE_URL. The table of variables is in docs/operations.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

# One BLAS thread per process, set before numpy is first imported. The adjusted-relief fit
# (journal/adjusted.py) is small; OpenBLAS's extra threads only compete with the other web workers
# for the cores, which made the fit about 5× slower on a busy two-core machine. An
# OPENBLAS_NUM_THREADS in the environment still wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment when DEBUG=False "
        "(for example: export SECRET_KEY=\"$(python -c 'import secrets; print(secrets.token_urlsafe(50))')\")."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks (acupressure/translation.py).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "acupressure",
    "journal",
]

MIDDLEWARE = [
    "config.observability.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Response-only, so it may sit this early; it also covers /healthz, answered just below.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /healthz answers here, before the session is read: no database query (issue 19).
    "config.health.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of /es/… addresses; journal.language picks it for the others.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "journal.middleware.UserTimeZoneMiddleware",
    "journal.language.PreferredLanguageMiddleware",
    # Cache-Control: no-store, private on every response to a logged-in user (or API token).
    "journal.middleware.PrivatePagesNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite by default, tuned for several concurrent writers; PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # BEGIN IMMEDIATE takes the write lock up front, so two writers queue on the busy
            # timeout instead of one failing with "database is locked" half-way through.
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            # A page cache of SQLITE_CACHE_MB per connection (SQLite's default is 2 MB) keeps a
            # heavy user's sessions in memory between requests on the persistent connection.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                f"PRAGMA cache_size=-{env.int('SQLITE_CACHE_MB', default=64) * 1024};"
            ),
        }
    )
# An index's INCLUDE columns (PostgreSQL's covering indexes) are left out on SQLite, whose indexes
# always carry the row id, the only column included (journal.PracticeSession).
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Persistent connections on both: a new SQLite connection also re-runs the PRAGMAs above.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

# The default cache is per process (API throttle counts, guide pages for visitors); CACHE_URL
# (e.g. redis://127.0.0.1:6379/1, with the `redis` package installed) shares one between processes.
# Cached guide pages stay correct either way: their keys carry the content version from the DB.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
GUIDE_PAGE_CACHE_SECONDS = env.int("GUIDE_PAGE_CACHE_SECONDS", default=3600)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out username + address never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "journal.backends.UsernameOrEmailBackend",
]

# Log-in abuse: 5 failures for the same username from the same address lock that pair out for
# 15 minutes (a stranger cannot lock you out everywhere); a successful log-in clears the count.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# "Username" here is the account the name or e-mail resolves to (any spelling), not the raw text.
AXES_USERNAME_CALLABLE = "journal.backends.lockout_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "journal:list"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
# English is the source language; every other language has a catalogue in locale/ and its guide
# content in acupressure/content/<code>/. docs/translating.md says how to add one.
LANGUAGES = [("en-gb", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Guide content fields are summary_en and summary_es (modeltranslation maps en-gb to en).
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end libraries come from npm (package.json) and are served straight from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("idb", BASE_DIR / "node_modules" / "idb" / "build"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads. Only the journal import takes files; its own upload handler stops reading a file at
# IMPORT_MAX_BYTES, so nothing bigger is ever held in memory or written to a temporary file.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Bytes do not bound the work (a row can be 2 bytes), rows do: a file with more sessions than this
# is refused before any row is checked. At the default, checking and importing a full file each take
# well under the server's timeout (docs/performance.md).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
# Uploads to /journal/import/ per person in any hour (counted in the cache, like the API throttle).
IMPORT_UPLOADS_PER_HOUR = env.int("IMPORT_UPLOADS_PER_HOUR", default=20)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default: larger uploads spool to a temp file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields and API request bodies (a session is < 10 kB)
DATA_UPLOAD_MAX_NUMBER_FILES = 1

# The JSON API (journal/api/). Browser sessions (with CSRF) or personal API tokens.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "journal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's JSONParser, plus a 400 (not a 500) for JSON nested too deeply to parse.
    "DEFAULT_PARSER_CLASSES": ["journal.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "journal.api.exceptions.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "journal.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "journal.api.throttling.AnonRateThrottle",
        "journal.api.throttling.UserRateThrottle",
    ],
    # Counted per process in the default local-memory cache; see docs/operations.md.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="60/minute"),
        "user": env.str("API_USER_RATE", default="600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Acupressure Journal API",
    "DESCRIPTION": (
        "Read the point guides, and log and read your own practice sessions. "
        "Send a personal API token (create one at /accounts/tokens/) as "
        "`Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "journal.api.schema.add_error_responses",
    ],
    # Swagger UI's files come from the drf-spectacular-sidecar package: nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Acupressure Journal <noreply@localhost>"
)
# E-mail addresses are confirmed by a link that works this many days (journal/verification.py).
EMAIL_CONFIRM_DAYS = env.int("EMAIL_CONFIRM_DAYS", default=3)
# At most this many e-mails (confirmation links, "someone used your address") to one address an
# hour, and this many sign-ups from one IP address an hour. Counted in the cache.
EMAILS_PER_ADDRESS_PER_HOUR = env.int("EMAILS_PER_ADDRESS_PER_HOUR", default=3)
SIGNUPS_PER_IP_PER_HOUR = env.int("SIGNUPS_PER_IP_PER_HOUR", default=20)
# The site's address for links in e-mails, which manage.py sends with no request to take it from.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Web Push reminders (journal/push.py), beside e-mail and the calendar feed. Off unless both keys
# are set; `manage.py make_vapid_keys` makes a pair (docs/operations.md). The subject tells push
# services whom to contact about the site's pushes: mailto:someone@example.org or an https:// URL.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured(
        "Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY for push reminders, or neither "
        "(`python manage.py make_vapid_keys` makes a pair)."
    )
if VAPID_PRIVATE_KEY and not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(
        "VAPID_SUBJECT must be set with the VAPID keys: mailto:you@example.org, or the site's "
        "https:// address. Push services use it to reach you about problems."
    )
# Browsers' push services are reached over https at a host name. Tests set this to True to stand
# in for a push service with a server on http://127.0.0.1; it is not read from the environment.
PUSH_ALLOW_LOCAL_ENDPOINTS = False

# Security headers; the HTTPS-only ones switch on by default when DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline script or style anywhere; data: only for Pico's small SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs go to stdout, one JSON object per line, each with the request's id (also sent back in the
# X-Request-ID response header) so a user's error report can be matched to the log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIDFilter"}},
    "formatters": {"json": {"()": "config.observability.JSONFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},  # every successful log-in is not news
    },
}
