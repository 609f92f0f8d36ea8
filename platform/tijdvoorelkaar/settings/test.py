"""The test suite: fast hashing, mail in memory, tasks run in-process."""

import os

from tijdvoorelkaar.devservices import ensure_services

ensure_services(redis=False)  # a bare `pytest` works too; the suite needs no Redis

from .base import *  # noqa: E402, F403

DEBUG = False
SITE_SCHEME = "http"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
# The test client loads the middleware anew for every client: WhiteNoise finds the static files
# once per process instead (tests/support/static_files.py).
MIDDLEWARE = [  # noqa: F405
    "tests.support.static_files.FoundOnceWhiteNoiseMiddleware"
    if name == "whitenoise.middleware.WhiteNoiseMiddleware"
    else name
    for name in MIDDLEWARE  # noqa: F405
]
CACHES = {  # noqa: F405
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "neighbourhoods",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    },
    "platform": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "platform",
    },
}
PROVISIONING_SPARE_SCHEMAS = 0  # tests that use the pool turn it on themselves
STATIC_ROOT = None  # static files come from the finders (whitenoise), no collectstatic
# Files the suite writes (uploads by schema, backups by slug, the demo inbox) go to a folder of
# this test process's own: parallel pytest-xdist workers each have a test database with the
# same schema names and slugs, and a worker's Celery processes inherit PYTEST_XDIST_WORKER.
_TEST_FILES = DATA_DIR / "test-files" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
MEDIA_ROOT = _TEST_FILES / "media"
BACKUP_DIR = _TEST_FILES / "backups"
MAIL_INBOX_DIR = _TEST_FILES / "mail"
EMAIL_FILE_PATH = str(MAIL_INBOX_DIR)
# A commit does not wait for its WAL to reach the disk: the test database is thrown away, and
# only a crash of the server itself could lose a commit. Other connections (the live server,
# a worker) see it at once all the same: this changes durability, not visibility.
_options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
_options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
# axes counts failed logins in the `default` cache; in tests that is one process's memory,
# which every request of the test shares, so the warning about per-process caches is moot.
SILENCED_SYSTEM_CHECKS = ["axes.W001"]
