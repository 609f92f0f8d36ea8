"""The statistics jobs: one snapshot on request, and the standard periods nightly (fanned
out per neighbourhood by the beat schedule)."""

from __future__ import annotations

from tijdvoorelkaar.celery import app

from . import services


@app.task(name="statistics.compute_snapshot", time_limit=300, soft_time_limit=270)
def compute_snapshot(snapshot_id: int) -> None:
    services.compute_snapshot(snapshot_id=snapshot_id)


@app.task(name="statistics.compute_nightly", time_limit=540, soft_time_limit=480)
def compute_nightly() -> int:
    return services.compute_standard_snapshots()
