"""Queueing background work so that it runs in the right neighbourhood, after commit."""

from __future__ import annotations

from typing import Any

from celery import Task
from django.db import connection, transaction

from .celery import app


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Queue `task(*args)` once the current transaction commits, in the current schema.

    The schema is captured now: by commit time the connection may have moved on.
    """
    schema_name = connection.schema_name
    # robust: a broker that is down must not turn committed work into an error; the sweepers
    # (outbox, provisioning jobs) pick up what was not queued.
    transaction.on_commit(
        lambda: task.apply_async(args=args, headers={"_schema_name": schema_name}), robust=True
    )


@app.task(name="platform.fan_out", ignore_result=True, time_limit=60, soft_time_limit=50)
def fan_out(task_name: str) -> int:
    """Queue `task_name` once per active neighbourhood; returns how many were queued."""
    from tijdvoorelkaar.neighbourhoods.selectors import active_schema_names

    schema_names = list(active_schema_names())
    for schema_name in schema_names:
        app.send_task(task_name, headers={"_schema_name": schema_name})
    return len(schema_names)
