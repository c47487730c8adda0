"""Laurel settings, read from the environment.

Development needs nothing set: SQLite in ./db.sqlite3, DEBUG on, a throwaway secret key.
Production (DJANGO_DEBUG=0) refuses to start without a real DJANGO_SECRET_KEY.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.contrib.messages import constants as messages
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-laurel-development-only"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a real secret when DJANGO_DEBUG is off."
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "viewflow",
    "viewflow.workflow",
    "audit",
    "nominations",
    "approvals",
    "workflows",
    "notifications",
    "honours_public",
    "demo",
    "backups",
    "api",
    "exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sessions end after LAUREL_IDLE_MINUTES without a request; then the second factor is asked
    # of whoever must have one (nominations/middleware.py; django-otp's own OTPMiddleware is left
    # out: it would read the device on every request of everyone).
    "nominations.middleware.IdleTimeoutMiddleware",
    "nominations.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:  # production serves its own static files (after `manage.py collectstatic`)
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

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
                "workflows.context_processors.navigation",
                "notifications.context_processors.bell",
                "notifications.context_processors.timers",
                "nominations.context_processors.sign_in",
            ],
        },
    },
]

# Lists are django-tables2 tables drawn with the vendored Bootstrap (static/vendor/).
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
# Bootstrap calls an error "danger".
MESSAGE_TAGS = {messages.ERROR: "danger"}

# Forms carry Bootstrap's classes (config/forms.py).
FORM_RENDERER = "config.forms.FormRenderer"

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
# Parameters bound by the server, so that the actions' statements can be prepared: an action
# (`workflows.services`) asks psycopg to prepare what it sends (`nominations.compiled.prepared`),
# and PostgreSQL then plans each of those statements once per connection rather than once per
# action, which was most of their database time (issue 11). So are one nomination's reads by its
# id (`nominations.selectors.nomination_for`: every nomination's page and every action posted).
# Nothing else is prepared: a list's query planned once for any parameters can be several times
# slower than one planned for its own (the inbox's queue: 142 ms against 35). Behind a pooler in
# transaction mode (PgBouncer without prepared-statement support) set
# DATABASE_PREPARED_STATEMENTS=0.
POSTGRES_OPTIONS = (
    {"server_side_binding": True} if env.bool("DATABASE_PREPARED_STATEMENTS", default=True) else {}
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)
    # A connection (and what it has prepared) serves a worker's requests for a minute, checked
    # before reuse so that a restarted database costs a reconnection, not an error.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.str("DJANGO_LANGUAGE_CODE", default="vi")  # the demo agency works in Vietnamese
# Each language in its own name: the language switcher shows these as written on every page.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers follow the language; Vietnamese writes dates dd/mm/yyyy (config/formats/vi).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Evidence files are private: they are served by a view that checks who may see the nomination,
# never from a public URL.
MEDIA_ROOT = Path(env.str("LAUREL_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
LAUREL_MAX_UPLOAD_BYTES = env.int("LAUREL_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# Working days the consulted bodies (hiệp y) are given to answer, when the office does not set
# the due date itself: Laurel's default, not a figure of the law.
LAUREL_CONSULTATION_DAYS = env.int("LAUREL_CONSULTATION_DAYS", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- notifications and email ---------------------------------------------------------------

# Email (notifications, sent by `manage.py run_timers`) from EMAIL_URL: in production SMTP, e.g.
# smtp+tls://user:password@mail.example.org:587 (or smtps:// for SSL on 465); in development the
# file backend, one file per email under var/mail/ (filemail:///<path relative to the project>),
# or consolemail:// to print them. EMAIL_BACKEND, if set, names another backend.
_email = env.email_url(
    "EMAIL_URL", default="filemail:///var/mail" if DEBUG else "smtp://localhost:25"
)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_FILE_PATH = BASE_DIR / (_email.get("EMAIL_FILE_PATH") or "var/mail")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Laurel <laurel@localhost>")
# The site's address as emails link to it.
LAUREL_SITE_URL = env.str("LAUREL_SITE_URL", default="http://127.0.0.1:8000")
# Daily digests go from this hour (local time) on, once a day.
LAUREL_DIGEST_HOUR = env.int("LAUREL_DIGEST_HOUR", default=7)
# The admin and the inspectors' integrity panel warn when `run_timers` (run every minute from
# cron) has not finished a run for longer than this.
LAUREL_TIMERS_STALE_MINUTES = env.int("LAUREL_TIMERS_STALE_MINUTES", default=15)
# Optional: the timers on Celery with beat (`config/celery.py`) instead of cron.
CELERY_BROKER_URL = env.str("LAUREL_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE = {
    "run-timers": {
        "task": "laurel.run_timers",
        "schedule": 60.0,
        # A minute's run not started within the minute is dropped: the next one does its work.
        "options": {"expires": 55},
    }
}

# --- security ------------------------------------------------------------------------------

# Login throttling: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("LAUREL_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Ed25519 keys that sign the audit chain's checkpoints. Files, never the database: the private
# key belongs to whoever runs `audit_checkpoint` (cron); the public one is given to inspectors.
# The demo generates its own pair on first run (`audit_keygen --if-missing`) under var/keys/.
LAUREL_AUDIT_SIGNING_KEY = Path(
    env.str(
        "LAUREL_AUDIT_SIGNING_KEY", default=str(BASE_DIR / "var" / "keys" / "audit-signing.pem")
    )
)
LAUREL_AUDIT_PUBLIC_KEY = Path(
    env.str("LAUREL_AUDIT_PUBLIC_KEY", default=str(BASE_DIR / "var" / "keys" / "audit-public.pem"))
)
# Every checkpoint is also appended, once committed, to this file outside the database (JSON
# lines; docs/CHAIN.md, section 4), so that deleting the newest checkpoints in the database is
# caught by `audit_verify --against FILE`. Keep it on another machine or append-only storage.
# Unset (the default): checkpoints stay in the database only, unless `--also-to` names a file.
LAUREL_CHECKPOINT_FILE = (
    Path(env.str("LAUREL_CHECKPOINT_FILE")) if env.str("LAUREL_CHECKPOINT_FILE", "") else None
)

# Two-factor sign-in (django-otp): who must have it is `nominations.policy.needs_second_factor`.
# Only a demo may turn the requirement off (`make demo` does, and every page then says so).
LAUREL_REQUIRE_2FA = env.bool("LAUREL_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Laurel"
# A session ends after this many minutes without a request (nominations/middleware.py).
LAUREL_IDLE_MINUTES = env.int("LAUREL_IDLE_MINUTES", default=30)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day at most; idle sessions end sooner (above)
X_FRAME_OPTIONS = "DENY"
# A refused form (no or a stale CSRF token) is an error page with a reference (config/errors.py).
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything comes from this site; no inline script or style, no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- the REST API (api/) --------------------------------------------------------------------

# Personal tokens or the browser's session (with CSRF); JSON in and out; refusals as RFC 9457
# problems (api.errors); requests throttled per person, reads and writes apart.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.Scoped"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.errors.handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api-read": env.str("LAUREL_API_READ_RATE", default="600/minute"),
        "api-write": env.str("LAUREL_API_WRITE_RATE", default="120/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Laurel API",
    "DESCRIPTION": (
        "Nominations for commendation, their journey, the council's decisions and the audit "
        "trail. Authenticate with a personal token (`Authorization: Bearer lrl_…`, issued at "
        "/api/tokens/) or the browser's session. Refusals are RFC 9457 problems."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # The reference's assets come from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "NominationStatusEnum": "nominations.stages.Status",
        "SessionStatusEnum": "approvals.models.CouncilSession.Status",
        "AgendaItemStatusEnum": "approvals.models.AgendaItem.Status",
        "UnitKindEnum": "nominations.models.Unit.Kind",
        "EvidenceKindEnum": "nominations.models.Evidence.Kind",
        "ForwardRequestStatusEnum": "approvals.models.ForwardRequest.Status",
        "ForwardEntryOutcomeEnum": "approvals.models.ForwardEntry.Outcome",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.problems",
    ],
}
# How long a new personal API token lasts unless its holder says otherwise.
LAUREL_API_TOKEN_DAYS = env.int("LAUREL_API_TOKEN_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
