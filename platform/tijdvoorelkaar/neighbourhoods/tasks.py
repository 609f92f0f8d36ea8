from __future__ import annotations

from tijdvoorelkaar.celery import app

from .jobs import run_job, sweep_jobs
from .spares import refill_spares


@app.task(name="neighbourhoods.run_provisioning_job", time_limit=300, soft_time_limit=240)
def run_provisioning_job(job_id: str) -> str:
    return run_job(job_id).status


@app.task(
    name="neighbourhoods.refill_spare_schemas",
    time_limit=300,
    soft_time_limit=240,
    ignore_result=True,
)
def refill_spare_schemas() -> int:
    return refill_spares()


@app.task(
    name="neighbourhoods.sweep_provisioning_jobs",
    time_limit=60,
    soft_time_limit=50,
    ignore_result=True,
)
def sweep_provisioning_jobs() -> int:
    return sweep_jobs()
