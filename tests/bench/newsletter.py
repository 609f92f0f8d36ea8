#!/usr/bin/env python3
"""Benchmark: one newsletter to 13,000 subscribers of one neighbourhood, through real Celery
workers and a real SMTP server on loopback.

Run on demand from the repository root (pytest never collects it):

    .venv/bin/python tests/bench/newsletter.py             # 13,000 recipients
    .venv/bin/python tests/bench/newsletter.py --check     # exit 1 when a target is missed

Like the other benchmarks it starts the embedded PostgreSQL when DATABASE_URL is unset and
works in a scratch database that it drops at the end; it starts its own embedded Redis (no
persistence), two Celery workers (`--concurrency 1` each: the two lanes of a batch) and an
aiosmtpd server on 127.0.0.1 that counts what it receives per Message-ID. It provisions one
neighbourhood with 13,000 confirmed subscribers and some new ads, and measures:
  - the baseline, in the same run: BASELINE messages queued the old way (one
    `outbox.send_message` task and one SMTP connection per message), messages per second;
  - the newsletter: from "send now" (the commit) until every outbox row is sent: the recipients
    are written 1,000 per transaction, then two lanes send over reused connections, unpaced
    (the neighbourhood's rate setting at 0).
The last line is
`recipients=13000 seconds=… per_s=… duplicates=… lost=… worker_rss_mb=… baseline_per_s=…
speedup=…` (duplicates: extra copies received; lost: recipients whose mail never arrived;
worker_rss_mb: the largest resident memory of a worker process during the run).
Targets: ≤ 60 s, 0 lost, 0 duplicates, workers < 250 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from provisioning import _say, scratch_database  # noqa: E402

RECIPIENTS = 13_000
BASELINE = 1_000
SECONDS_LIMIT = 60
RSS_LIMIT_MB = 250


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=RECIPIENTS, help="recipients")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    options = parser.parse_args()
    with scratch_database():
        return _run(options.n, options.check)


def _run(n: int, check: bool) -> int:
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command

    from tests.support.outbox import SmtpSink, free_port
    from tests.worker.conftest import CeleryProcesses, EmbeddedRedis

    call_command("migrate", interactive=False, verbosity=0)
    neighbourhood = _neighbourhood(n)
    folder = Path(tempfile.mkdtemp(prefix="tve-bench-"))
    redis_server = EmbeddedRedis(folder)
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    redis_server.start()
    processes = CeleryProcesses(folder=folder, env=_worker_env(redis_server, sink, folder))
    try:
        _use_broker(redis_server)
        processes.worker()
        processes.worker()
        memory = _MemoryWatch(processes)
        baseline = _baseline(neighbourhood, sink)
        seconds, rows = _newsletter(neighbourhood, n)
        memory.stop()
    finally:
        processes.stop_all()
        controller.stop()
        redis_server.stop()
        shutil.rmtree(folder, ignore_errors=True)

    from tenants.outbox.verp import message_id_header

    ours = {message_id_header(message_id, neighbourhood.schema_name) for message_id in rows}
    arrived = Counter(mid for mid in sink.message_ids if mid in ours)
    duplicates = sum(times - 1 for times in arrived.values())
    lost = len(ours - set(arrived))
    if lost:  # what was expected against what came, to tell a lost mail from a renamed one
        print(f"expected e.g. {min(ours - set(arrived))}, received e.g. {sink.message_ids[-1:]}")
    per_s = n / seconds
    met = seconds <= SECONDS_LIMIT and not lost and not duplicates and memory.peak_mb < RSS_LIMIT_MB
    _say(
        f"baseline: {baseline:.0f} messages/s, one task and one connection per message; "
        f"newsletter: {per_s:.0f} messages/s; targets ≤ {SECONDS_LIMIT} s, 0 lost, "
        f"0 duplicates, workers < {RSS_LIMIT_MB} MB: " + ("met" if met else "MISSED")
    )
    print(
        f"recipients={n} seconds={seconds:.1f} per_s={per_s:.0f} duplicates={duplicates} "
        f"lost={lost} worker_rss_mb={memory.peak_mb:.0f} baseline_per_s={baseline:.0f} "
        f"speedup={per_s / baseline:.1f}",
        flush=True,
    )
    return 1 if check and not met else 0


def _neighbourhood(n: int):  # type: ignore[no-untyped-def]
    from django_tenants.utils import tenant_context

    from tenants.mailings.models import MailingSettings, Subscriber
    from tests.support import factories
    from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec, provision_neighbourhood

    spec = NeighbourhoodSpec(
        name="Bench Nieuwsbrief",
        slug="bench-nieuwsbrief",
        domains=["bench-nieuwsbrief.test"],
        admin_email="admin@bench-nieuwsbrief.test",
    )
    neighbourhood = provision_neighbourhood(spec=spec)
    with tenant_context(neighbourhood):
        MailingSettings.objects.update_or_create(pk=1, defaults={"per_second": 0})
        for number in range(12):
            factories.published_ad(
                title=f"Oproepje {number}", kind="offer" if number % 2 else "request"
            )
        Subscriber.objects.bulk_create(
            (
                Subscriber(
                    email=f"lezer{i}@bench.example",
                    language="en" if i % 5 == 0 else "nl",
                    source="paper",
                    status="active",
                )
                for i in range(n)
            ),
            batch_size=2000,
        )
    return neighbourhood


def _worker_env(redis_server, sink, folder: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL_FILE", "REDIS_URL_FILE"}
        and not key.startswith(("OUTBOX_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tijdvoorelkaar.settings.testworker",
        REDIS_URL=redis_server.url,
        EMAIL_PORT=str(sink.port),
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        TVE_TASK_LOG=str(folder / "tasks.jsonl"),
        TVE_NO_BOOTSTRAP="1",
        LOG_LEVEL="WARNING",
    )
    return env


def _use_broker(redis_server) -> None:  # type: ignore[no-untyped-def]
    from tests.worker.conftest import _drop_connections
    from tijdvoorelkaar.celery import app

    app.conf.update(
        broker_url=redis_server.url.replace("unix://", "redis+socket://", 1),
        task_always_eager=False,
    )
    _drop_connections()  # the pools were built for the test settings' broker


def _baseline(neighbourhood, sink) -> float:  # type: ignore[no-untyped-def]
    """The old way, measured now: one task and one SMTP connection per message."""
    from django.db import transaction
    from django_tenants.utils import tenant_context

    from tenants.outbox.models import OutboxMessage
    from tenants.outbox.services import queue_mail

    with tenant_context(neighbourhood):
        before = len(sink.message_ids)
        started = time.monotonic()
        with transaction.atomic():
            for i in range(BASELINE):
                queue_mail(to=f"los{i}@bench.example", subject="Los", body="…", purpose="bench")
        _wait(
            lambda: (
                not OutboxMessage.objects.filter(purpose="bench").exclude(status="sent").exists()
            )
        )
        seconds = time.monotonic() - started
        assert len(sink.message_ids) - before == BASELINE
    return BASELINE / seconds


def _newsletter(neighbourhood, n: int) -> tuple[float, list[str]]:  # type: ignore[no-untyped-def]
    from django.db import transaction
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenants.mailings import drafts, services
    from tenants.mailings.models import Newsletter
    from tenants.outbox.models import OutboxMessage

    with tenant_context(neighbourhood):
        newsletter = drafts.assemble_newsletter(month=timezone.localdate(), by=None)
        started = time.monotonic()
        with transaction.atomic():
            services.schedule_newsletter(newsletter=newsletter, at=None, by=None)

        def sent() -> bool:
            batch = Newsletter.objects.values_list("batch", flat=True).get(pk=newsletter.pk)
            rows = OutboxMessage.objects.filter(batch=batch)
            return batch is not None and rows.filter(status="sent").count() == n

        _wait(sent)
        seconds = time.monotonic() - started
        batch = Newsletter.objects.values_list("batch", flat=True).get(pk=newsletter.pk)
        rows = [
            str(m)
            for m in OutboxMessage.objects.filter(batch=batch).values_list("message_id", flat=True)
        ]
    return seconds, rows


def _wait(done, timeout: float = 600) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the workers did not finish")
        time.sleep(0.2)


class _MemoryWatch:
    """The largest resident memory of any worker process (main or pool child), sampled."""

    def __init__(self, processes) -> None:  # type: ignore[no-untyped-def]
        import psutil

        self.peak_mb = 0.0
        self._stop = threading.Event()
        pids = [started.process.pid for started in processes.started]

        def sample() -> None:
            while not self._stop.is_set():
                for pid in pids:
                    try:
                        parent = psutil.Process(pid)
                        for process in [parent, *parent.children(recursive=True)]:
                            self.peak_mb = max(self.peak_mb, process.memory_info().rss / 2**20)
                    except psutil.NoSuchProcess:
                        continue
                time.sleep(0.5)

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


if __name__ == "__main__":
    sys.exit(main())
