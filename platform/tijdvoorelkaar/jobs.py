"""Queueing background work so that it runs in the right neighbourhood, after commit.

Work is queued by the task's explicit name (`"outbox.send_message"`), never by the task
object: a service that queues a task then need not import the module that defines it, which
would import the service back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest

from .celery import app
from .observability.context import request_id


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Queue the task named `task_name` with `args` once the current transaction commits, in
    the current schema.

    The schema and the request id are captured now: by commit time the connection may have
    moved on, and the request may be over.
    """
    headers = {"_schema_name": connection.schema_name, "tve_request_id": request_id.get()}
    send = _sender(task_name)
    # robust: a broker that is down must not turn committed work into an error; the sweepers
    # (outbox, provisioning, backup and restore jobs) pick up what was not queued.
    transaction.on_commit(lambda: send(args=args, headers=headers), robust=True)


def _sender(task_name: str) -> Callable[..., Any]:
    """How to queue `task_name`: by name to the broker, or, where tasks run eagerly (tests),
    through the registered task itself, since `send_task` ignores eager mode. Looking it up
    now also makes a misspelt name fail where it is written."""
    if not app.conf.task_always_eager:
        return partial(app.send_task, task_name)
    if task_name not in app.tasks:
        app.loader.import_default_modules()  # runs the autodiscovery of every app's tasks.py
    return app.tasks[task_name].apply_async


def progress_poll(request: HttpRequest, *status: object) -> dict[str, Any]:
    """What a page that polls a job's progress needs to announce each change of `status` once.

    The page holds one live region (`role="status"`) outside the polled part. Screen readers
    follow a live region that stays in the page: one replaced with each poll (as the whole
    part is) is announced rarely or never, "Done." included. So a poll's answer rewrites the
    region's text (an htmx out-of-band swap) only when the status differs from the one its
    request says the page shows (`?shown=`), and the polled part carries the new one.
    """
    shown = ":".join(str(part) for part in status)
    polled = bool(getattr(request, "htmx", False))
    return {"shown": shown, "announce": polled and request.GET.get("shown") != shown}
