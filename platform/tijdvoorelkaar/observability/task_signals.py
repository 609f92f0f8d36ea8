"""Celery's signals, connected once (apps.py): queued tasks take the request id and the time
they were queued along in their headers; each run is counted, timed and logged with them."""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from celery import signals
from django.conf import settings

from . import metrics
from .context import request_id

logger = logging.getLogger("tijdvoorelkaar.tasks")

REQUEST_ID_HEADER = "tve_request_id"
QUEUED_AT_HEADER = "tve_queued_at"
_started: dict[str, tuple[float, Any, str | None]] = {}


def stamp_headers(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """before_task_publish: the current request id and the time of queueing."""
    if headers is None:
        return
    headers.setdefault(REQUEST_ID_HEADER, request_id.get())
    headers.setdefault(QUEUED_AT_HEADER, time.time())


def task_started(task_id: str = "", task: Any = None, **_: Any) -> None:
    """task_prerun: the queue wait, and the request id for the task's log lines."""
    carried = _header(task, REQUEST_ID_HEADER)
    # Eager tasks (tests) run inside the request: they keep its id.
    token = request_id.set(carried or request_id.get() or f"task-{task_id}")
    _started[task_id] = (time.perf_counter(), token, _schema())
    queued_at = _header(task, QUEUED_AT_HEADER)
    if isinstance(queued_at, int | float):
        metrics.task_queue_wait.labels(task=task.name).observe(max(0.0, time.time() - queued_at))


def task_finished(task_id: str = "", task: Any = None, state: str | None = None, **_: Any) -> None:
    """task_postrun: count and time the run, log one line, restore the request id."""
    started, token, schema = _started.pop(task_id, (None, None, None))
    outcome = {"SUCCESS": "success", "RETRY": "retry"}.get(state or "", "failure")
    metrics.task_runs.labels(task=task.name, outcome=outcome).inc()
    seconds = time.perf_counter() - started if started is not None else 0.0
    metrics.task_duration.labels(task=task.name).observe(seconds)
    logger.info(
        "task %s %s",
        task.name,
        outcome,
        extra={
            "schema": schema,
            "task": task.name,
            "task_id": task_id,
            "outcome": outcome,
            "duration_ms": round(seconds * 1000, 1),
        },
    )
    if token is not None:
        request_id.reset(token)


def _schema() -> str | None:
    from django.db import connection

    return getattr(connection, "schema_name", None)


def _header(task: Any, name: str) -> Any:
    request = getattr(task, "request", None)
    value = getattr(request, name, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(name)
    return value


def start_metrics_server(**_: Any) -> None:
    """worker_ready: serve this worker's metrics when a port and a token are set."""
    port = settings.METRICS_WORKER_PORT
    if port and settings.METRICS_TOKEN:
        from .exposition import serve_worker_metrics

        serve_worker_metrics(port)


def clear_previous_run(**_: Any) -> None:
    """worker_init: figures a previous run left in the folder would be added to this one's."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def forget_child(pid: int | None = None, **_: Any) -> None:
    """worker_process_shutdown: a replaced pool process's live gauges go with it."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())


def json_lines(logger: logging.Logger | None = None, **_: Any) -> None:
    """after_setup_logger / after_setup_task_logger: Celery's own handlers (worker, beat)
    write the same JSON lines as the web, with the schema and the request id."""
    if logger is None or settings.LOG_FORMAT != "json":
        return
    from .logs import JsonFormatter, RequestContext

    for handler in logger.handlers:
        handler.setFormatter(JsonFormatter())
        if not any(isinstance(f, RequestContext) for f in handler.filters):
            handler.addFilter(RequestContext())


def connect() -> None:
    signals.after_setup_logger.connect(json_lines, weak=False)
    signals.after_setup_task_logger.connect(json_lines, weak=False)
    signals.before_task_publish.connect(stamp_headers, weak=False)
    signals.task_prerun.connect(task_started, weak=False)
    signals.task_postrun.connect(task_finished, weak=False)
    signals.worker_init.connect(clear_previous_run, weak=False)
    signals.worker_ready.connect(start_metrics_server, weak=False)
    signals.worker_process_shutdown.connect(forget_child, weak=False)
