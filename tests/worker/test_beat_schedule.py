"""Every periodic job runs: each entry of CELERY_BEAT_SCHEDULE goes through beat's own code
path to a real worker, and runs in every active neighbourhood.

The eager suite never queues through beat, so when Celery refused every beat entry (a soft
time limit above the hard one) no test noticed and no periodic job ran for weeks.
"""

from __future__ import annotations

import logging
import time

import pytest
from celery.beat import Scheduler
from django.conf import settings
from django_tenants.utils import get_public_schema_name, tenant_context

from tenants.outbox.verp import message_id_header
from tests.support.processes import wait_for
from tijdvoorelkaar.celery import app
from tijdvoorelkaar.neighbourhoods.selectors import active_schema_names

pytestmark = pytest.mark.worker


def _expected_runs() -> set[tuple[str, str]]:
    """(task, schema) for every entry: a fanned-out job in each active neighbourhood, the
    fan-out itself and every other job once, in the public schema."""
    public = get_public_schema_name()
    schemas = list(active_schema_names())
    expected = set()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        expected.add((entry["task"], public))
        if entry["task"] == "platform.fan_out":
            expected |= {(entry["args"][0], schema) for schema in schemas}
    return expected


def test_every_beat_entry_runs_in_every_active_neighbourhood(
    committed, real_broker, celery_processes, smtp_sink, caplog
) -> None:
    # Given a real worker, and the cast's two neighbourhoods (both active)
    celery_processes.worker()
    expected = _expected_runs()
    assert {schema for _task, schema in expected} >= {
        n.schema_name for n in committed.neighbourhoods
    }
    started = time.monotonic()

    # When beat applies every entry of the schedule, as it does when one is due
    with caplog.at_level(logging.ERROR, logger="celery.beat"):
        scheduler = Scheduler(app=app)
        for name in settings.CELERY_BEAT_SCHEDULE:
            scheduler.apply_entry(scheduler.schedule[name], producer=scheduler.producer)
        scheduler.close()
    refused = [r.getMessage() for r in caplog.records if r.name == "celery.beat"]
    assert refused == []  # e.g. "Couldn't apply scheduled task outbox-sweep: soft_time_limit…"

    # Then each job succeeds in each neighbourhood, and the mail they queue (at least the
    # admins' weekly audit summary) reaches the mail server
    def ran() -> set[tuple[str, str]]:
        finished = celery_processes.finished_tasks()
        failures = [run for run in finished if run["outcome"] != "success"]
        assert failures == []
        return {(run["task"], run["schema"]) for run in finished}

    try:
        wait_for(lambda: expected <= ran(), timeout=40, what="every periodic job")
        wait_for(lambda: _all_sent(committed), timeout=20, what="the jobs' mail")
    except TimeoutError:
        pytest.fail(f"missing: {sorted(expected - ran())}\n{celery_processes.started[0].log()}")
    for neighbourhood in committed.neighbourhoods:
        with tenant_context(neighbourhood):
            summaries = committed.new_messages(neighbourhood).filter(purpose__startswith="audit")
            delivered = {message_id_header(row.message_id) for row in summaries}
        assert delivered and delivered <= set(smtp_sink.message_ids)
    assert time.monotonic() - started < 60


def _all_sent(committed) -> bool:  # type: ignore[no-untyped-def]
    for neighbourhood in committed.neighbourhoods:
        with tenant_context(neighbourhood):
            if committed.new_messages(neighbourhood).exclude(status="sent").exists():
                return False
    return True
