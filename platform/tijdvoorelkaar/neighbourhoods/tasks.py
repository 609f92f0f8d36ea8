from __future__ import annotations

from tijdvoorelkaar.celery import app

from .jobs import run_batch, run_job, sweep_jobs
from .selectors import active_schema_names
from .spares import refill_pool


@app.task(name="neighbourhoods.run_provisioning_job", time_limit=300, soft_time_limit=240)
def run_provisioning_job(job_id: str) -> str:
    return run_job(job_id).status


# A batch of bulk.MAX_BATCH: its spares and provisionings took ≈ 2 minutes on a loaded 2-core
# machine; the limit stays below the broker's visibility timeout (600 s).
@app.task(name="neighbourhoods.run_provisioning_batch", time_limit=590, soft_time_limit=560)
def run_provisioning_batch(job_ids: list[str]) -> list[str]:
    return [job.status for job in run_batch(job_ids)]


@app.task(
    name="neighbourhoods.refill_spare_schemas",
    time_limit=300,
    soft_time_limit=240,
    ignore_result=True,
)
def refill_spare_schemas() -> int:
    return refill_pool()


@app.task(
    name="neighbourhoods.sweep_provisioning_jobs",
    time_limit=60,
    soft_time_limit=50,
    ignore_result=True,
)
def sweep_provisioning_jobs() -> int:
    return sweep_jobs()


# Named for the platform, not this app: the beat entries that every app declares point at it
# (`contributions.every_neighbourhood`). It lives here because the registry owns the list of
# neighbourhoods, so the queueing in `tijdvoorelkaar.jobs` needs no import of it.
@app.task(name="platform.fan_out", ignore_result=True, time_limit=60, soft_time_limit=50)
def fan_out(task_name: str) -> int:
    """Queue `task_name` once per active neighbourhood; returns how many were queued."""
    schema_names = list(active_schema_names())
    for schema_name in schema_names:
        app.send_task(task_name, headers={"_schema_name": schema_name})
    return len(schema_names)
