from __future__ import annotations

from importlib import import_module

from django.conf import settings

from tijdvoorelkaar.celery import app


@app.task(name="accounts.clear_sessions", time_limit=120, soft_time_limit=100)
def clear_expired_sessions() -> None:
    """Delete the expired sessions of the schema the task runs in (a neighbourhood's, or the
    console's in `public`): Django ends a session by its expiry but leaves its row behind."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
