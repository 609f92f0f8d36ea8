from __future__ import annotations

from django.conf import settings

from tijdvoorelkaar.celery import app
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .backups import backup_neighbourhood, prune_backups
from .figures import measure_outbox_backlog
from .jobs import run_job, sweep_jobs


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


# Under the broker's visibility timeout (600 s): a restore that takes longer than this is one
# for the `restore_neighbourhood` command, which has no limit.
@app.task(name="operations.run_job", time_limit=570, soft_time_limit=540)
def run_operation_job(job_id: str) -> str:
    """An operator's backup or restore from the console or the API."""
    return run_job(job_id).status


@app.task(name="operations.sweep_jobs", time_limit=120, soft_time_limit=100)
def sweep_operation_jobs() -> int:
    """Backups and restores whose task was lost: queued again, or ended as interrupted."""
    return sweep_jobs()
