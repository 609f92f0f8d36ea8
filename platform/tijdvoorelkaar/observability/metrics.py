"""Every Prometheus metric the platform exports, in one place (docs/operations.md#metrics).

No metric has a neighbourhood label: at 10,000 neighbourhoods one label value per
neighbourhood on the request histogram alone would be 10,000 × views × buckets series. The
labels here are bounded by the code: view names (the URLconfs), task names (the tasks.py
modules), HTTP methods and status codes, outbox events. Which neighbourhood did something is
in the logs (`schema`), not in the metrics.

Processes with several workers (gunicorn, Celery's prefork pool) write their figures to
`PROMETHEUS_MULTIPROC_DIR` when it is set; `exposition.py` adds them up.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# Pages answer in milliseconds; a mail or an import task may take minutes.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0)
WAIT_BUCKETS = (0.05, 0.25, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)

http_requests = Counter(
    "tve_http_requests_total",
    "Requests answered, by view, method and status code.",
    ["view", "method", "status"],
)
http_request_duration = Histogram(
    "tve_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=REQUEST_BUCKETS,
)
task_runs = Counter(
    "tve_task_runs_total",
    "Task runs by task name and outcome (success, failure, retry).",
    ["task", "outcome"],
)
task_duration = Histogram(
    "tve_task_duration_seconds", "Time a task ran, by task name.", ["task"], buckets=TASK_BUCKETS
)
task_queue_wait = Histogram(
    "tve_task_queue_wait_seconds",
    "Time between queueing a task and a worker starting it, by task name.",
    ["task"],
    buckets=WAIT_BUCKETS,
)
outbox_events = Counter(
    "tve_outbox_messages_total",
    "Outbox messages by event: queued, sent, retrying (an attempt failed, another follows), "
    "failed (given up).",
    ["event"],
)
