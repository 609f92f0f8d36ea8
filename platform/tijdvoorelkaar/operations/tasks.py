from __future__ import annotations

from django.conf import settings

from tijdvoorelkaar.celery import app
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .backups import backup_neighbourhood, prune_backups
from .figures import measure_outbox_backlog


@app.task(name="operations.back_up_neighbourhood", time_limit=540, soft_time_limit=480)
def back_up_neighbourhood() -> str:
    """The nightly backup of the neighbourhood whose schema the task runs in."""
    return str(backup_neighbourhood(neighbourhood=current_neighbourhood()).folder)


@app.task(name="operations.prune_backups", time_limit=300, soft_time_limit=240)
def prune_old_backups() -> int:
    return prune_backups(keep_days=settings.BACKUP_RETENTION_DAYS)


@app.task(name="operations.measure_outbox_backlog", time_limit=240, soft_time_limit=200)
def measure_backlog() -> int:
    """Returns the messages waiting or retrying over all neighbourhoods."""
    figures = measure_outbox_backlog()
    return int(figures["waiting"] + figures["retrying"])
