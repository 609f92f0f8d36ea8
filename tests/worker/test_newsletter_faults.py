"""A newsletter to 2,000 subscribers while the worker is SIGKILLed five times at random
moments and Redis is flushed once: everyone receives it; the only duplicates are the
messages the mail server accepted just before a kill (their "250" never reached the worker,
so the row was committed as sent only after the resend), each with the same Message-ID.

The kill moments are drawn at random (the seed is printed) among the accepted mails, at the
worst instant: the sink has stored the mail and not answered yet; the worker killed is the
one that sent it (found by its connection). Two workers run, as in production, so sending
goes on while a killed one is replaced.
"""

from __future__ import annotations

import random
import time
from collections import Counter

import psutil
import pytest
from django.db import transaction
from django_tenants.utils import tenant_context

from tenants.mailings import drafts, services
from tenants.mailings.models import MailingSettings, Newsletter, Subscriber
from tenants.outbox.models import OutboxBatch, OutboxMessage
from tenants.outbox.verp import message_id_header

pytestmark = pytest.mark.worker

RECIPIENTS = 2000
KILLS = 5
STUCK_AFTER, SWEEP_EVERY = 3, 1  # seconds; production: 90 and 60


def test_a_newsletter_survives_killed_workers_and_a_flushed_redis(
    committed, real_broker, redis_server, celery_processes, smtp_sink
) -> None:
    seed = random.randrange(10**6)  # noqa: S311 - test moments, not secrets
    print(f"kill seed {seed}")
    kill_at = sorted(random.Random(seed).sample(range(100, RECIPIENTS - 100), KILLS))
    flush_at = (kill_at[1] + kill_at[2]) // 2
    celery_processes.env.update(
        OUTBOX_STUCK_AFTER_SECONDS=str(STUCK_AFTER),
        OUTBOX_SWEEP_SECONDS=str(SWEEP_EVERY),
        MAILINGS_SCHEDULE_SECONDS="3600",
        OUTBOX_LANE_SECONDS="5",  # lanes make way for the sweeps often
    )
    neighbourhood = committed.neighbourhoods[0]
    with tenant_context(neighbourhood):
        MailingSettings.objects.update_or_create(pk=1, defaults={"per_second": 0})
        Subscriber.objects.bulk_create(
            Subscriber(email=f"lezer{n}@example.test", source="paper", status="active")
            for n in range(RECIPIENTS)
        )
    try:
        _send_under_fire(
            neighbourhood, kill_at, flush_at, redis_server, celery_processes, smtp_sink
        )
    finally:
        with tenant_context(neighbourhood):
            batches = list(Newsletter.objects.values_list("batch", flat=True))
            Newsletter.objects.all().delete()
            OutboxMessage.objects.filter(batch__in=batches).delete()
            OutboxBatch.objects.all().delete()
            Subscriber.objects.all().delete()
            MailingSettings.objects.all().delete()


def _send_under_fire(neighbourhood, kill_at, flush_at, redis_server, celery_processes, sink):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    workers = [celery_processes.worker(), celery_processes.worker()]
    celery_processes.beat()
    kills: list[int] = []

    def kill_mid_send(count: int) -> None:
        if count == 1:
            print(f"first mail after {time.monotonic() - started:.1f} s")
        if count in kill_at:
            print(f"kill at mail {count}, {time.monotonic() - started:.1f} s")
            sender = _worker_connected_from(workers, sink.last_peer[1])
            assert sender is not None, "no worker holds that connection"
            sender.kill()
            kills.append(count)

    sink.on_accept = kill_mid_send
    with tenant_context(neighbourhood), transaction.atomic():
        newsletter = drafts.assemble_newsletter(month=_month(), by=None)
        newsletter = drafts.update_newsletter(
            newsletter=newsletter, changes={"intro": "Hallo buren"}, by=None
        )
        services.schedule_newsletter(newsletter=newsletter, at=None, by=None)
    flushed = False
    while not _all_sent(neighbourhood, newsletter) and time.monotonic() - started < 240:
        for dead in [worker for worker in workers if not worker.running()]:
            workers.remove(dead)
            workers.append(celery_processes.worker())
        if not flushed and len(sink.message_ids) >= flush_at:
            redis_server.client().flushall()
            flushed = True
        time.sleep(0.1)
    took = time.monotonic() - started

    with tenant_context(neighbourhood):
        newsletter.refresh_from_db()
        rows = list(OutboxMessage.objects.filter(batch=newsletter.batch))
    assert len(rows) == RECIPIENTS
    assert Counter(row.status for row in rows) == {"sent": RECIPIENTS}, workers[-1].log()[-2000:]
    ours = {message_id_header(row.message_id, neighbourhood.schema_name) for row in rows}
    arrived = Counter(mid for mid in sink.message_ids if mid in ours)
    assert set(arrived) == ours  # every recipient received it
    assert kills == kill_at and flushed
    # the duplicates: exactly the mails accepted at the moment of a kill, once more each
    killed = Counter(sink.message_ids[count - 1] for count in kills)
    duplicates = {mid: times - 1 for mid, times in arrived.items() if times > 1}
    assert duplicates == dict(killed)
    assert sum(arrived.values()) - RECIPIENTS == KILLS
    assert len({row.message_id for row in rows}) == RECIPIENTS  # one Message-ID per recipient
    print(f"sent {RECIPIENTS} with {KILLS} kills and a flush in {took:.1f} s")


def _worker_connected_from(workers, port: int):  # type: ignore[no-untyped-def]
    for worker in list(workers):
        try:
            processes = [psutil.Process(worker.process.pid)]
            processes += processes[0].children(recursive=True)
            for process in processes:
                if any(c.laddr and c.laddr.port == port for c in process.net_connections("tcp")):
                    return worker
        except psutil.NoSuchProcess:
            continue
    return None


def _all_sent(neighbourhood, newsletter) -> bool:  # type: ignore[no-untyped-def]
    with tenant_context(neighbourhood):
        batch = Newsletter.objects.filter(pk=newsletter.pk).values_list("batch", flat=True).first()
        if batch is None:
            return False
        messages = OutboxMessage.objects.filter(batch=batch)
        return messages.count() == RECIPIENTS and not messages.exclude(status="sent").exists()


def _month():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.localdate().replace(day=1)
