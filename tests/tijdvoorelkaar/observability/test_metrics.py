"""Prometheus metrics: `/metrics` answers only with the token; requests, tasks and the outbox
are counted and timed; the platform's figures are there; no label names a neighbourhood."""

from __future__ import annotations

import datetime
import urllib.error
import urllib.request

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django_tenants.utils import tenant_context
from prometheus_client import REGISTRY

from tenants.outbox.services import deliver_message, queue_mail
from tijdvoorelkaar.celery import app
from tijdvoorelkaar.observability import task_signals
from tijdvoorelkaar.observability.exposition import PLATFORM, serve_worker_metrics
from tijdvoorelkaar.operations import tasks

pytestmark = pytest.mark.django_db

TOKEN = "scrape-secret-0123456789"  # noqa: S105 - test fixture
BEARER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@app.task(name="tests.observability.boom")
def boom() -> None:
    raise RuntimeError("boom")


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def token(settings) -> str:  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def test_metrics_are_not_public(cast, settings) -> None:
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics").status_code == 404  # no token configured: no endpoint

    settings.METRICS_TOKEN = TOKEN
    for client in (Client(), cast.a.client()):  # the platform's host and a neighbourhood's
        assert client.get("/metrics").status_code == 401
        for refused in ("Bearer wrong", f"Basic {TOKEN}", "Bearer", f"Bearer{TOKEN}", TOKEN):
            assert client.get("/metrics", HTTP_AUTHORIZATION=refused).status_code == 401
        # The scheme's name is case-insensitive (RFC 9110): a scraper may write it so.
        assert client.get("/metrics", HTTP_AUTHORIZATION=f"bearer {TOKEN}").status_code == 200
        answer = client.get("/metrics", **BEARER)
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith("text/plain")


def test_requests_are_counted_and_timed_by_view_and_status(cast, token) -> None:
    before = sample("tve_http_requests_total", view="home:home", method="GET", status="200")
    timed = sample("tve_http_request_duration_seconds_count", view="home:home")
    missing = sample("tve_http_requests_total", view="unresolved", method="GET", status="404")

    cast.a.client().get("/")
    cast.b.client().get("/")
    cast.a.client().get("/no/such/page/")

    assert sample("tve_http_requests_total", view="home:home", method="GET", status="200") == (
        before + 2
    )
    assert sample("tve_http_request_duration_seconds_count", view="home:home") == timed + 2
    assert (
        sample("tve_http_requests_total", view="unresolved", method="GET", status="404")
        == missing + 1
    )
    body = Client().get("/metrics", **BEARER).content.decode()
    assert 'tve_http_requests_total{method="GET",status="200",view="home:home"}' in body


def test_tasks_are_counted_by_outcome_and_timed(cast) -> None:
    ran = sample("tve_task_runs_total", task="operations.prune_backups", outcome="success")
    failed = sample("tve_task_runs_total", task="tests.observability.boom", outcome="failure")
    timed = sample("tve_task_duration_seconds_count", task="operations.prune_backups")

    tasks.prune_old_backups.apply()
    boom.apply(throw=False)

    assert (
        sample("tve_task_runs_total", task="operations.prune_backups", outcome="success") == ran + 1
    )
    assert (
        sample("tve_task_runs_total", task="tests.observability.boom", outcome="failure")
        == failed + 1
    )
    assert sample("tve_task_duration_seconds_count", task="operations.prune_backups") == timed + 1


def test_the_wait_in_the_queue_is_measured_from_the_publish_time() -> None:
    headers: dict = {}
    waited = sample("tve_task_queue_wait_seconds_sum", task="outbox.send_message")
    # The clock stands still except for the half minute in the queue, so a busy machine's
    # pauses between the two signals cannot add to what is measured.
    queued = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(queued, tick=False):
        task_signals.stamp_headers(headers=headers)
    task = type("Task", (), {"name": "outbox.send_message", "request": type("R", (), headers)})
    with time_machine.travel(queued + datetime.timedelta(seconds=30), tick=False):
        task_signals.task_started(task_id="w1", task=task)
        task_signals.task_finished(task_id="w1", task=task, state="SUCCESS")

    assert sample("tve_task_queue_wait_seconds_sum", task="outbox.send_message") - waited == 30


def test_outbox_messages_are_counted_queued_sent_retrying_and_failed(
    cast, settings, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def count(event: str) -> float:
        return sample("tve_outbox_messages_total", event=event)

    start = {event: count(event) for event in ("queued", "sent", "retrying", "failed")}
    with tenant_context(cast.a.neighbourhood):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            queue_mail(to="a@example.org", subject="Hallo", body="…", purpose="test")  # sent

        def refuse(self, fail_silently=False):  # type: ignore[no-untyped-def]
            raise ConnectionRefusedError

        monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            # its first attempt fails: a transient failure, retried later
            waiting = queue_mail(to="b@example.org", subject="Hallo", body="…", purpose="test")
        settings.OUTBOX_RETRY_FOR_SECONDS = 0
        waiting.refresh_from_db()
        type(waiting).objects.filter(pk=waiting.pk).update(next_attempt_at=waiting.created_at)
        deliver_message(waiting.pk)  # out of time: given up

    assert {event: count(event) - start[event] for event in start} == {
        "queued": 2,
        "sent": 1,
        "retrying": 1,
        "failed": 1,
    }


def test_platform_figures_show_neighbourhoods_spares_and_the_outbox_backlog(
    cast, token, django_capture_on_commit_callbacks
) -> None:
    with tenant_context(cast.b.neighbourhood), transaction.atomic():
        queue_mail(to="c@example.org", subject="Wacht", body="…", purpose="test")  # not sent
    tasks.measure_backlog.apply()

    body = Client().get("/metrics", **BEARER).content.decode()

    assert 'tve_neighbourhoods{status="active"}' in body
    assert "tve_spare_schemas 0.0" in body
    waiting = next(
        line
        for line in body.splitlines()
        if line.startswith('tve_outbox_backlog_messages{state="waiting"}')
    )
    assert float(waiting.split()[-1]) >= 1
    assert "tve_outbox_oldest_waiting_seconds" in body


def test_no_metric_has_a_label_per_neighbourhood(cast, token) -> None:
    cast.a.client().get("/")
    cast.b.client().get("/")
    tasks.measure_backlog.apply()
    schemas = {cast.a.neighbourhood.schema_name, cast.b.neighbourhood.schema_name}
    hosts = {cast.a.host, cast.b.host}

    families = [f for f in [*REGISTRY.collect(), *PLATFORM.collect()] if f.name.startswith("tve_")]

    assert families
    for family in families:
        for found in family.samples:
            assert not {"neighbourhood", "schema", "host", "domain", "slug"} & set(found.labels)
            assert not (schemas | hosts | {"wijk-a", "wijk-b"}) & set(found.labels.values())


def test_the_worker_serves_its_metrics_behind_the_same_token(token) -> None:
    server = serve_worker_metrics(0, "127.0.0.1")
    url = f"http://127.0.0.1:{server.server_port}/metrics"
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 - a local test server
        assert refused.value.code == 401
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            assert b"tve_task_runs_total" in answer.read()
    finally:
        server.shutdown()
        server.server_close()
