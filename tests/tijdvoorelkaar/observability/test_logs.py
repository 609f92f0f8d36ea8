"""JSON logs: one line per event, each with the schema and the request id; the id comes from
X-Request-ID or is made up, is answered back, and travels with the tasks a request queues;
no personal data from a request's body reaches any line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
from django_tenants.utils import tenant_context

from tests.support.factories import published_ad, respond_form
from tijdvoorelkaar.observability import task_signals
from tijdvoorelkaar.observability.context import request_id
from tijdvoorelkaar.observability.logs import JsonFormatter, RequestContext, scrub

pytestmark = pytest.mark.django_db

EMAIL = "petra.de.vries@example.org"
PHONE = "06-12345678"


@pytest.fixture
def log_lines() -> Iterator[Callable[[], list[dict]]]:
    """Reads every log line written since the test began, as the production handler writes
    it: one JSON object per line (or json.loads fails)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContext())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_each_request_gets_an_id_logged_with_its_schema_and_answered_back(cast, log_lines) -> None:
    given = cast.a.client().get("/", HTTP_X_REQUEST_ID="edge-7f3a9c21")
    made_up = cast.b.client().get("/")
    forged = cast.b.client().get("/", HTTP_X_REQUEST_ID='x" \n{"level": "ERROR"}')

    assert given["X-Request-ID"] == "edge-7f3a9c21"
    assert len(made_up["X-Request-ID"]) == 32
    assert forged["X-Request-ID"] not in ("", 'x" \n{"level": "ERROR"}')
    lines = [line for line in log_lines() if line["logger"] == "tijdvoorelkaar.requests"]
    assert [(line["request_id"], line["schema"], line["status"]) for line in lines] == [
        ("edge-7f3a9c21", cast.a.neighbourhood.schema_name, 200),
        (made_up["X-Request-ID"], cast.b.neighbourhood.schema_name, 200),
        (forged["X-Request-ID"], cast.b.neighbourhood.schema_name, 200),
    ]
    assert lines[0]["view"] == "home:home" and lines[0]["duration_ms"] >= 0


def test_a_response_with_contact_details_logs_none_of_them(
    cast, log_lines, django_capture_on_commit_callbacks
) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    client = cast.a.client()
    with django_capture_on_commit_callbacks(execute=True):  # the mails are sent: tasks log too
        sent = client.post(
            f"/ads/{ad.pk}/respond/",
            respond_form(email=EMAIL, phone=PHONE, message=f"Bel {PHONE} of mail {EMAIL}"),
            HTTP_X_REQUEST_ID="respond-0001",
        )
        refused = client.post(
            f"/ads/{ad.pk}/respond/", respond_form(email=f"{EMAIL}@", phone=PHONE)
        )
    assert sent.status_code == 302 and refused.status_code == 400  # Django logs a 400

    lines = log_lines()
    text = "\n".join(json.dumps(line) for line in lines)
    assert "tijdvoorelkaar.tasks" in {line["logger"] for line in lines}
    for secret in (EMAIL, "petra", PHONE, "12345678"):
        assert secret not in text
    # the mail tasks the request queued ran under its request id
    task_lines = [line for line in lines if line["logger"] == "tijdvoorelkaar.tasks"]
    assert {line["request_id"] for line in task_lines} == {"respond-0001"}


def test_an_error_is_logged_by_class_and_stack_without_its_message(log_lines) -> None:
    try:
        raise ValueError(f"duplicate key: (email)=({EMAIL})")
    except ValueError:
        logging.getLogger("tijdvoorelkaar.test").exception("saving %s failed", "participant 7")

    (line,) = [line for line in log_lines() if line["logger"] == "tijdvoorelkaar.test"]
    assert line["message"] == "saving participant 7 failed"
    assert line["error"] == "ValueError" and "raise ValueError" in line["stack"]
    assert EMAIL not in json.dumps(line)


def test_addresses_and_numbers_in_a_message_are_masked() -> None:
    assert scrub(f"mail {EMAIL} or call +31 6 1234 5678 / 030 123 45 67") == (
        "mail [redacted] or call [redacted] / [redacted]"
    )
    assert scrub("message 1234 of ad 56, 2026-12-06") == "message 1234 of ad 56, 2026-12-06"


def test_queued_tasks_carry_the_request_id_and_a_worker_takes_it_up() -> None:
    # The message headers as Celery publishes them, and a worker's view of such a message.
    token = request_id.set("req-00000042")
    headers: dict = {}
    try:
        task_signals.stamp_headers(headers=headers)
    finally:
        request_id.reset(token)
    assert headers[task_signals.REQUEST_ID_HEADER] == "req-00000042"

    task = SimpleNamespace(name="outbox.send_message", request=SimpleNamespace(**headers))
    task_signals.task_started(task_id="t1", task=task)
    assert request_id.get() == "req-00000042"
    task_signals.task_finished(task_id="t1", task=task, state="SUCCESS")
    assert request_id.get() is None


def test_celery_logs_the_same_json_lines_in_worker_and_beat(settings) -> None:
    settings.LOG_FORMAT = "json"
    logger = logging.getLogger("tests.celery-like")
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    try:
        task_signals.json_lines(logger=logger)  # what Celery's after_setup_logger sends
        logger.warning("consumer: connection to broker lost")
        line = json.loads(handler.stream.getvalue())
    finally:
        logger.removeHandler(handler)
    assert line["message"] == "consumer: connection to broker lost"
    assert set(line) >= {"time", "level", "schema", "request_id"}
