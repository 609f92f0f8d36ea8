"""The outbox under faults: a few hundred messages go out while the worker is killed in the
middle of sending and Redis is restarted with every task it held lost.

Everything arrives without anyone running the sweep by hand (beat does, every
OUTBOX_SWEEP_SECONDS); a message arrives twice only when its worker died between the mail
server's acceptance and the commit, and then with the same Message-ID.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context

from tenants.outbox.services import queue_mail
from tenants.outbox.verp import message_id_header

pytestmark = pytest.mark.worker

MESSAGES = 300
KILL_AT = (60, 170)  # the sink kills the worker after storing mail n, before answering it
RESTART_REDIS_AT = 110  # mails stored when Redis is restarted, losing every queued task
STUCK_AFTER, SWEEP_EVERY = 10, 2  # seconds; production: 90 and 60
GIVE_UP_AFTER = 150  # seconds; about 30 on a quiet 2-core machine, much more under load


def test_no_mail_is_lost_when_workers_die_and_redis_restarts(
    committed, real_broker, redis_server, celery_processes, smtp_sink
) -> None:
    # Given a worker and beat with short stuck and sweep times, and a sink that kills the
    # worker at the worst moment: the mail stored, the worker not yet told
    celery_processes.env.update(
        OUTBOX_STUCK_AFTER_SECONDS=str(STUCK_AFTER), OUTBOX_SWEEP_SECONDS=str(SWEEP_EVERY)
    )
    started = time.monotonic()
    workers = [celery_processes.worker()]
    celery_processes.beat()
    kills: list[int] = []

    def kill_mid_send(count: int) -> None:
        if count in KILL_AT:
            workers[-1].kill()
            kills.append(count)

    smtp_sink.on_accept = kill_mid_send
    neighbourhood = committed.neighbourhoods[0]

    # When a few hundred messages are queued (their tasks go to Redis at commit)...
    with tenant_context(neighbourhood), transaction.atomic():
        for n in range(MESSAGES):
            queue_mail(to=f"buur{n}@example.test", subject=f"Bericht {n}", body="…", purpose="f")
    # ...and killed workers are replaced, and Redis is restarted half-way
    lost_tasks, restarted_at = 0, 0.0
    while not _all_sent(committed, neighbourhood) and time.monotonic() - started < GIVE_UP_AFTER:
        if not workers[-1].running():
            workers.append(celery_processes.worker())
        if not restarted_at and len(smtp_sink.message_ids) >= RESTART_REDIS_AT:
            lost_tasks = redis_server.client().llen("celery")
            redis_server.restart()
            restarted_at = time.monotonic()
        time.sleep(0.2)
    settled = time.monotonic()

    # Then every message arrived; the only duplicates are the ones whose worker was killed
    with tenant_context(neighbourhood):
        rows = list(committed.new_messages(neighbourhood).filter(purpose="f"))
    assert len(rows) == MESSAGES
    assert Counter(row.status for row in rows) == {"sent": MESSAGES}, workers[-1].log()[-3000:]
    ours = {message_id_header(row.message_id, neighbourhood.schema_name) for row in rows}
    arrived = Counter(mid for mid in smtp_sink.message_ids if mid in ours)
    assert set(arrived) == ours
    duplicated = {mid for mid, times in arrived.items() if times > 1}
    assert kills == list(KILL_AT) and len(workers) == len(KILL_AT) + 1
    assert duplicated == {smtp_sink.message_ids[count - 1] for count in kills}
    assert sum(arrived.values()) - MESSAGES == len(kills)  # each of them exactly twice
    assert lost_tasks > 0  # the restart did lose queued work, which the sweeps made good
    assert settled - restarted_at < STUCK_AFTER + 10 * SWEEP_EVERY + 20


def _all_sent(committed, neighbourhood) -> bool:  # type: ignore[no-untyped-def]
    with tenant_context(neighbourhood):
        waiting = committed.new_messages(neighbourhood).filter(purpose="f").exclude(status="sent")
        return not waiting.exists() and committed.new_messages(neighbourhood).exists()
