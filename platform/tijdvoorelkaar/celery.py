"""The Celery app. Every task runs inside the schema of the neighbourhood that queued it
(tenant-schemas-celery carries the schema name in the message headers)."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

# Production unless told otherwise: it refuses to start without a SECRET_KEY.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tijdvoorelkaar.settings.production")

app = CeleryApp("tijdvoorelkaar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
