"""Settings shared by every environment. Per-neighbourhood choices live on the
Neighbourhood row, never here."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from tijdvoorelkaar.contributions import beat_schedule
from tijdvoorelkaar.theming.registry import staticfiles_dirs

from .environment import env_bool, env_int, env_list, env_str

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = Path(env_str("TVE_DATA_DIR", str(REPO_ROOT / ".data")))
THEMES_DIR = REPO_ROOT / "themes"

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "insecure-key-for-local-development-and-tests-only")
# The deploy's name for its code (an image tag, a commit); empty: a digest of the files
# (tijdvoorelkaar/release.py). Rendered pages in the cache are kept per release.
RELEASE = env_str("RELEASE", "")
ALLOWED_HOSTS = ["*"]  # the Domain table is the allow-list; unknown hosts get a 404 page
PLATFORM_HOSTS = env_list("PLATFORM_HOSTS", ["localhost", "127.0.0.1"])
PLATFORM_BASE_DOMAIN = env_str("PLATFORM_BASE_DOMAIN", "localhost")
SITE_SCHEME = env_str("SITE_SCHEME", "https")
SITE_PORT = env_str("SITE_PORT", "")

SHARED_APPS = [
    "tijdvoorelkaar.neighbourhoods",  # first: its migrate commands wrap django-tenants'
    "django_tenants",
    "tijdvoorelkaar.accounts",
    "tijdvoorelkaar.theming",
    "tijdvoorelkaar.console",
    "tijdvoorelkaar.health",
    "tijdvoorelkaar.quickstart",
    "tijdvoorelkaar.headlines",
    "tijdvoorelkaar.observability",
    "tijdvoorelkaar.operations",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",  # staff log in with two steps; devices live beside their users, in every schema
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# Not here: contenttypes and auth (roles decide access, no model uses permissions, groups or
# generic relations), axes (counts in the cache): their tables stay in `public` only.
TENANT_APPS = [
    "django.contrib.sessions",
    "tijdvoorelkaar.accounts",
    "rest_framework.authtoken",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tenants.audit",
    "tenants.outbox",
    "tenants.people",
    "tenants.organisations",
    "tenants.market",
    "tenants.responding",
    "tenants.mediations",
    "tenants.brokerage",
    "tenants.referrals",
    "tenants.credits",
    "tenants.stories",
    "tenants.surveys",
    "tenants.siteuse",
    "tenants.transfers",
    "tenants.siteadmin",
    "tenants.home",
    "tenants.mailings",
    "tenants.outreach",
    "tenants.statistics",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "neighbourhoods.Neighbourhood"
TENANT_DOMAIN_MODEL = "neighbourhoods.Domain"
PUBLIC_SCHEMA_URLCONF = "tijdvoorelkaar.urls_platform"
ROOT_URLCONF = "tijdvoorelkaar.urls_neighbourhood"
TENANT_LIMIT_SET_CALLS = True  # one SET search_path per request, not per query
BLUEPRINT_SCHEMA = "tve_blueprint"
SCHEMA_PREFIX = "nb_"

MIDDLEWARE = [
    # First: a request id for everything below, request metrics, one log line; `/metrics`.
    "tijdvoorelkaar.observability.requests.RequestObservationMiddleware",
    "tijdvoorelkaar.health.middleware.HealthCheckMiddleware",
    "tijdvoorelkaar.neighbourhoods.middleware.NeighbourhoodMiddleware",
    "tenants.siteuse.middleware.SiteUseMiddleware",  # counts public page visits, no cookie
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tijdvoorelkaar.neighbourhoods.middleware.NeighbourhoodLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's (request.user.is_verified(): the second step done), reading the user and
    # the device in one query (accounts/signed_in.py)
    "tijdvoorelkaar.accounts.signed_in.SecondStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tijdvoorelkaar.accounts.staff_sessions.StaffSessionMiddleware",  # staff: shorter sessions
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tijdvoorelkaar.neighbourhoods.middleware.ArchivedNeighbourhoodMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "loaders": [
                "tijdvoorelkaar.theming.loaders.CachedThemeLoader",
            ],
            "context_processors": [
                "tijdvoorelkaar.console.context_processors.console",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tijdvoorelkaar.theming.context_processors.theme",
            ],
            "builtins": ["tijdvoorelkaar.theming.templatetags.theme"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL"),
        # django-tenants' backend, sending no SET search_path when the schema stays the same
        engine="tijdvoorelkaar.neighbourhoods.postgresql_backend",
        # Persistent connections, checked before reuse after a request; safe behind PgBouncer
        # in session mode only (deploy/pgbouncer/pgbouncer.ini says why).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",  # keys carry the schema name
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    },
    # Platform-level keys (host lookups, job progress) are the same in every schema.
    "platform": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "platform",
    },
}
# One sessions table per schema, read through the cache (its keys carry the schema name):
# a signed-in request costs one query fewer (ADR 0002). Django's own session calls (log in
# and out, flush, cycle_key) write and delete both; nothing here deletes rows directly.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_DOMAIN = None  # host-only: a login is valid only where it was made
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Staff and operators (accounts/staff_sessions.py): logged out after this long without a
# request, and this long after logging in whatever they do. Residents keep Django's two weeks.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)
STAFF_SESSION_MAX_SECONDS = env_int("STAFF_SESSION_MAX_SECONDS", 12 * 3600)

# Content-Security-Policy (django-csp): the platform's own scripts, styles and images only; no
# inline script or style (theme colours come from /theme.css), no framing. The API docs page
# loosens it for Swagger UI (tijdvoorelkaar/api_docs.py). CSP_REPORT_ONLY=true sends the same
# policy as Content-Security-Policy-Report-Only, to try a change before enforcing it.
# (Lower case: django-csp's check refuses its old CSP_* setting names.)
_csp_report_only = env_bool("CSP_REPORT_ONLY", False)
_csp_report_uri = env_str("CSP_REPORT_URI", "")
_csp_policy = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the two-step QR code is a data: image
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
        **({"report-uri": [_csp_report_uri]} if _csp_report_uri else {}),
    }
}
CONTENT_SECURITY_POLICY = None if _csp_report_only else _csp_policy
CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy if _csp_report_only else None

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tijdvoorelkaar.accounts.signed_in.AccountBackend",  # Django's ModelBackend (see there)
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600  # invitation links stay valid for a week

# Failed logins: five tries per user name and address, then a 15-minute pause. Counted in the
# `default` cache, whose keys carry the schema name: a lock holds in one neighbourhood only, and
# no neighbourhood schema needs axes' four tables (docs/operations/benchmarks.md, "Schema
# footprint"). The access log is the `axes` logger's (and the audit log's) business.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"  # the login form's and the token endpoint's field name
# Password spraying: failed passwords per client address per hour, across every account and
# neighbourhood (tijdvoorelkaar/accounts/spraying.py); generous for a community centre's address.
LOGIN_FAILURES_PER_IP_PER_HOUR = env_int("LOGIN_FAILURES_PER_IP_PER_HOUR", 30)
# Ads placed from the site per hour (market/limits.py), counted once accepted: per client
# address, generous for a community centre's shared computer, and per e-mail address or phone.
ADS_PER_IP_PER_HOUR = env_int("ADS_PER_IP_PER_HOUR", 20)
ADS_PER_CONTACT_PER_HOUR = env_int("ADS_PER_CONTACT_PER_HOUR", 3)
RATELIMIT_USE_CACHE = "platform"  # one cache for all django-ratelimit counters; groups name schemas
# Behind N trusted proxies the client's address is the Nth from the right in X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-step login for staff (docs/features/two-factor-and-audit.md): TOTP apps plus recovery codes.
OTP_TOTP_ISSUER = "TijdVoorElkaar"
TWO_FACTOR_FAILURE_LIMIT = env_int("TWO_FACTOR_FAILURE_LIMIT", 5)  # wrong codes in a row...
TWO_FACTOR_COOLOFF_SECONDS = 15 * 60  # ...then a pause, as for passwords
TWO_FACTOR_RECOVERY_CODES = 10
# Our own counter (above) is the one rule for pages and the token endpoint; django-otp's
# per-device back-off would refuse a right code a second after a wrong one.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [REPO_ROOT / "platform" / "tijdvoorelkaar" / "locale"]
FORMAT_MODULE_PATH = ["tijdvoorelkaar.formats"]  # one date format per language
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Amsterdam"

STATIC_URL = "/static/"
STATIC_ROOT = REPO_ROOT / "staticfiles"
STATICFILES_DIRS = staticfiles_dirs()  # one prefix per theme folder: /static/themes/<slug>/
STORAGES = {
    # Uploads go to MEDIA_ROOT/<schema>/..., served as MEDIA_URL<schema>/...: a neighbourhood's
    # host serves only its own folder (tenants.market.views.media; the web server in production).
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
SERVE_MEDIA = False  # local settings serve uploads from Django (demo); production: web server
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(DATA_DIR / "backups")))

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds each SMTP connect, command and reply may take: a server that hangs costs one attempt
# (retried later), never a worker stuck until the task's hard time limit.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "TijdVoorElkaar <noreply@tijdvoorelkaar.nl>")
MAIL_INBOX_DIR = DATA_DIR / "mail"  # read by the console's demo inbox when the file backend is on
MAIL_INBOX_ENABLED = False  # the demo's Inbox in the console (local settings turn it on)
EMAIL_FILE_PATH = str(MAIL_INBOX_DIR)
# Bounces: newsletters and digests go out with the envelope sender `local+TOKEN@domain` made
# from the neighbourhood's bounce address (VERP; the mail server there must deliver
# `local+anything` to `local`); off: the bare bounce address. Bounce mail is read from the
# Maildir below by a beat job (empty: off), or piped to `manage.py receive_bounce`.
MAIL_BOUNCE_VERP = env_bool("MAIL_BOUNCE_VERP", True)
MAIL_BOUNCES_MAILDIR = env_str("MAIL_BOUNCES_MAILDIR", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a bad token then gets 401 with WWW-Authenticate, not a bare 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "tijdvoorelkaar.api_parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "tijdvoorelkaar.api_schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tijdvoorelkaar.pagination.ApiPagination",
    "DEFAULT_THROTTLE_RATES": {"login": "10/min"},
    "EXCEPTION_HANDLER": "tijdvoorelkaar.api_exceptions.api_exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TijdVoorElkaar API",
    "DESCRIPTION": (
        "On the platform domain: the operator's neighbourhood endpoints. "
        "On a neighbourhood's own domain: that neighbourhood's endpoints."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No "valid" badge: it would send the schema's address to validator.swagger.io (and the
    # Content-Security-Policy refuses the image anyway). No deep links: Swagger UI puts them
    # inside each operation's button, a link in a button (axe-core: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "tijdvoorelkaar.accounts.models.Role",
        "StaffRoleEnum": "tenants.siteadmin.forms.STAFF_ROLE_CHOICES",
        "AdKindEnum": "tenants.market.models.AdKind",
        "AdStatusEnum": "tenants.market.models.AdStatus",
        "OrganisationKindEnum": "tenants.organisations.models.Organisation.Kind",
        "MediationStatusEnum": "tenants.mediations.models.MediationStatus",
        "BackedUpStatusEnum": "tijdvoorelkaar.operations.api.BACKED_UP_STATUSES",
        "JobStatusEnum": "tijdvoorelkaar.neighbourhoods.models.BackgroundJob.Status",
    },
}

CELERY_TIMEZONE = TIME_ZONE  # crontab entries mean Dutch local time
CELERY_BROKER_URL = REDIS_URL.replace("unix://", "redis+socket://", 1)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True  # a killed worker's task is redelivered...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ...not acknowledged as if done
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# How long a task a worker took but did not finish (killed) waits in Redis before another
# worker gets it: above the longest hard time limit (300 s), or a slow task would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600)}
CELERY_TASK_TENANT_CACHE_SECONDS = 30
# Each app declares its periodic jobs in its contributions.py; only our own apps are read here
# (importing a third-party package before the settings are done is not safe).
CELERY_BEAT_SCHEDULE = beat_schedule(
    app for app in INSTALLED_APPS if app.startswith(("tijdvoorelkaar.", "tenants."))
)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 200_000  # KiB: recycle a child before it nears 250 MB
# A message `sending` for longer than this was taken by a worker that died, and a new one
# still untried lost its task (Redis restarted): the sweeper hands it out again. Above the
# send task's hard time limit (60 s), so that a live attempt is never handed out twice.
OUTBOX_STUCK_AFTER_SECONDS = env_int("OUTBOX_STUCK_AFTER_SECONDS", 90)
# Transient failures are retried this long (an outage of a day loses no sign-in link), with
# back-off up to 30 s, 1 min, 2 min… and at most 30 minutes between attempts
# (tenants/outbox/retry.py).
OUTBOX_RETRY_FOR_SECONDS = env_int("OUTBOX_RETRY_FOR_SECONDS", 24 * 3600)
OUTBOX_RETRY_BASE_DELAY_SECONDS = 30
# Batches (newsletters): a lane claims OUTBOX_SLICE messages at a time and sends for about
# OUTBOX_LANE_SECONDS over one SMTP connection before it queues itself again.
OUTBOX_SLICE = env_int("OUTBOX_SLICE", 20)
OUTBOX_LANE_SECONDS = env_int("OUTBOX_LANE_SECONDS", 30)
OUTBOX_RETRY_MAX_DELAY_SECONDS = env_int("OUTBOX_RETRY_MAX_DELAY_SECONDS", 1800)
TENANT_HOST_CACHE_SECONDS = 300
# Spare schemas kept ready (neighbourhoods/spares.py): a burst of this many provisionings
# renames spares; beyond it they replay the blueprint until the worker catches up.
PROVISIONING_SPARE_SCHEMAS = env_int("PROVISIONING_SPARE_SCHEMAS", 5)
# `migrate` runs the neighbourhood schemas that are behind in parallel worker processes
# (`parallel`: neighbourhoods/migrating.py; or django-tenants' `standard`); one per CPU.
TENANT_MIGRATION_EXECUTOR = env_str("MIGRATION_EXECUTOR", "parallel")
TENANT_MULTIPROCESSING_MAX_PROCESSES = env_int("MIGRATION_PROCESSES", os.cpu_count() or 2)
TENANT_MULTIPROCESSING_CHUNKS = 8  # schemas handed to a worker at a time

# Metrics for Prometheus (docs/operations.md#metrics): `/metrics` and the worker's server
# answer only `Authorization: Bearer <METRICS_TOKEN>`; without a token there are none.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_WORKER_PORT = env_int("METRICS_WORKER_PORT", 0)  # 0: the worker serves none
# Backups (tijdvoorelkaar/operations/backups.py): nightly dumps kept this many days.
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 14)

# `json`: one JSON object per line with the schema and the request id (production);
# `plain`: `time level logger message` for reading in a terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "tijdvoorelkaar.observability.logs.RequestContext"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tijdvoorelkaar.observability.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "ERROR"},  # its warnings describe who failed to log in
        "tijdvoorelkaar.security": {"level": "INFO"},  # operators' two-step events (ids only)
        "pgserver": {"level": "WARNING"},
    },
}
