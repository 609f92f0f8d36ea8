"""Queueing by task name: after commit, in the schema it was called in, eager in tests."""

from __future__ import annotations

import pytest
from celery.exceptions import NotRegistered
from django_tenants.utils import tenant_context

from tijdvoorelkaar import jobs

pytestmark = pytest.mark.django_db


def test_a_task_queued_by_name_goes_to_the_broker_with_its_schema(
    cast, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setitem(jobs.app.conf, "task_always_eager", False)
    sent: list[tuple[str, tuple[object, ...], str]] = []
    monkeypatch.setattr(
        jobs.app,
        "send_task",
        lambda name, args, headers: sent.append((name, args, headers["_schema_name"])),
    )
    with django_capture_on_commit_callbacks(execute=True):
        with tenant_context(cast.a.neighbourhood):
            jobs.enqueue_on_commit("outbox.send_message", 7)
        assert sent == []  # not before commit
    assert sent == [("outbox.send_message", (7,), cast.a.neighbourhood.schema_name)]


def test_a_misspelt_task_name_fails_where_it_is_queued() -> None:
    with pytest.raises(NotRegistered):
        jobs.enqueue_on_commit("outbox.send_mesage", 7)
