"""The outbox: each message sent once, failures retried, nothing lost, right schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.outbox import services
from tenants.outbox.models import OutboxMessage
from tenants.outbox.tasks import send_outbox_message
from tijdvoorelkaar.neighbourhoods import tasks as platform_tasks
from tijdvoorelkaar.neighbourhoods.services import archive_neighbourhood

pytestmark = pytest.mark.django_db


def _queued(place, **fields):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return OutboxMessage.objects.create(
            to="buur@example.test", subject="Hallo", body="Tekst", purpose="test", **fields
        )


def test_running_the_send_task_twice_sends_once(cast) -> None:
    message = _queued(cast.a)
    with tenant_context(cast.a.neighbourhood):
        assert send_outbox_message.apply(args=[message.pk]).get() is True
        assert send_outbox_message.apply(args=[message.pk]).get() is False
        message.refresh_from_db()
    assert len(mail.outbox) == 1
    sent_id = mail.outbox[0].extra_headers["Message-ID"]
    assert sent_id == f"<{message.message_id}@{cast.a.neighbourhood.schema_name}.tijdvoorelkaar>"
    assert (message.status, message.attempts) == ("sent", 1)


def test_a_task_runs_in_the_schema_named_in_its_headers(cast) -> None:
    message = _queued(cast.b)  # the connection is back on the public schema now
    result = send_outbox_message.apply_async(
        args=[message.pk], headers={"_schema_name": cast.b.neighbourhood.schema_name}
    )
    assert result.get() is True
    with tenant_context(cast.b.neighbourhood):
        assert OutboxMessage.objects.get(pk=message.pk).status == "sent"


def test_enqueue_on_commit_remembers_the_schema_it_was_called_in(
    cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with tenant_context(cast.a.neighbourhood):
            message = services.queue_mail(
                to="x@example.test", subject="s", body="b", purpose="test"
            )
        # The callback runs after the schema switched back; it must still send A's message.
    with tenant_context(cast.a.neighbourhood):
        assert OutboxMessage.objects.get(pk=message.pk).status == "sent"


def test_the_sweeper_resends_what_a_killed_worker_left_behind(
    cast, settings, django_capture_on_commit_callbacks
) -> None:
    stuck = _queued(
        cast.a,
        status="sending",
        attempts=1,
        claimed_at=timezone.now() - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS + 1),
    )
    recent = _queued(cast.a, status="sending", attempts=1, claimed_at=timezone.now())
    with tenant_context(cast.a.neighbourhood):
        OutboxMessage.objects.filter(pk=stuck.pk).update(
            created_at=timezone.now() - timedelta(hours=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert services.sweep_outbox() == 1
        stuck.refresh_from_db()
        recent.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sent", 2)
    assert recent.status == "sending"  # may still be on its way: left alone


def test_fan_out_queues_a_task_per_active_neighbourhood(cast, monkeypatch) -> None:
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        platform_tasks.app,
        "send_task",
        lambda name, headers: sent.append((name, headers["_schema_name"])),
    )
    archive_neighbourhood(neighbourhood=cast.b.neighbourhood, archived_by=None)
    assert platform_tasks.fan_out("outbox.sweep") == len(sent)
    schemas = {schema for _name, schema in sent}
    assert cast.a.neighbourhood.schema_name in schemas
    assert cast.b.neighbourhood.schema_name not in schemas


def test_the_sweeper_queues_what_is_due_and_respects_back_offs(
    cast, django_capture_on_commit_callbacks
) -> None:
    now = timezone.now()
    waiting = _queued(cast.a, attempts=3, next_attempt_at=now + timedelta(minutes=2))
    due = _queued(cast.a, attempts=1, next_attempt_at=now - timedelta(seconds=1))
    new = _queued(cast.a)  # its own task is on its way: not queued twice
    never_came = _queued(cast.a)
    with tenant_context(cast.a.neighbourhood):
        OutboxMessage.objects.filter(pk=never_came.pk).update(created_at=now - timedelta(hours=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert services.sweep_outbox() == 2
        status = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert [status[m.pk] for m in (waiting, due, new, never_came)] == [
        "pending",
        "sent",
        "pending",
        "sent",
    ]


@pytest.mark.django_db
def test_a_subject_with_line_breaks_is_sent_as_one_line(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        message = services.queue_mail(
            to="ans@example.org",
            subject="Reactie op: Tuin\r\nBcc: iedereen@example.org",
            body="Hallo",
            purpose="test",
        )
    assert message.subject == "Reactie op: Tuin Bcc: iedereen@example.org"


def test_a_single_mail_with_html_goes_out_multipart_with_its_sender_and_headers(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        rich = services.queue_mail(
            to="ans@example.org",
            subject="Nieuw",
            body="Tekst",
            html="<p>Tekst</p>",
            from_name="Buurt\r\nBcc: x@example.org",
            headers={"List-Unsubscribe": "<https://a.test/stop/\r\nX-Evil: 1>"},
            purpose="test",
        )
        plain = services.queue_mail(to="bep@example.org", subject="Oud", body="Tekst", purpose="t")
        assert services.deliver_message(rich.pk) and services.deliver_message(plain.pk)
    sent_rich, sent_plain = mail.outbox
    assert sent_rich.alternatives[0].content == "<p>Tekst</p>"
    assert sent_rich.from_email.startswith('"Buurt Bcc: x@example.org" <')
    assert sent_rich.extra_headers["List-Unsubscribe"] == "<https://a.test/stop/ X-Evil: 1>"
    assert "X-Evil" not in sent_rich.message().keys()
    assert not getattr(sent_plain, "alternatives", None)  # as before: one plain part
    assert sent_plain.message().get_content_type() == "text/plain"
