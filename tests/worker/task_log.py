"""Loaded into the tests' real worker (`celery worker --include tests.worker.task_log`): one
JSON line per finished task, with the schema it ran in, so a test sees which job ran where."""

from __future__ import annotations

import json
import os
from typing import Any

from celery import Task
from celery.signals import task_failure, task_success
from django.db import connection


def _write(task: Task, **outcome: Any) -> None:
    # Sent while the task is still in its neighbourhood's schema (tenant-schemas-celery
    # switches back only at task_postrun).
    line = json.dumps({"task": task.name, "schema": connection.schema_name, **outcome}, default=str)
    with open(os.environ["TVE_TASK_LOG"], "a") as log:  # appends of one line do not interleave
        log.write(line + "\n")


@task_success.connect
def _succeeded(sender: Task, result: Any, **_: Any) -> None:
    _write(sender, outcome="success", result=result)


@task_failure.connect
def _failed(sender: Task, exception: BaseException, **_: Any) -> None:
    _write(sender, outcome="failure", error=type(exception).__name__)
