"""Development and the quick-start demo: mail kept in .data/mail for the console inbox.

DEBUG is off, as newcomers should see the demo: friendly error pages, never a traceback or the
list of URL patterns. `settings.debug` (`manage.py demo --debug`) turns it on."""

from .base import *  # noqa: F403
from .environment import env_int, env_str

DEBUG = False
PROVISIONING_SPARE_SCHEMAS = env_int("PROVISIONING_SPARE_SCHEMAS", 1)
SITE_SCHEME = "http"
SITE_PORT = env_str("SITE_PORT", "8000")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # static files come from the finders (whitenoise), no collectstatic
MAIL_INBOX_ENABLED = True  # the console's Inbox shows the mail written above
LOG_FORMAT = env_str("LOG_FORMAT", "plain")  # the demo's terminal: lines a person reads
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"  # noqa: F405
SERVE_MEDIA = True  # photos of the demo; each host serves only its own schema's folder
