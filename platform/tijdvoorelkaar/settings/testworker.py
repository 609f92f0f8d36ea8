"""The test suite's real Celery worker and beat (tests/worker/): the test settings, except that
tasks travel through the Redis in REDIS_URL and mail goes to the test's SMTP sink on
127.0.0.1, port EMAIL_PORT."""

from .test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"  # never the machine's own mail server
