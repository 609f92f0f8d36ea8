"""The retry policy: transient failures are retried with capped, jittered back-off for a
day; a message the mail server refuses fails at once; a long outage loses nothing."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.outbox import services
from tenants.outbox.models import OutboxMessage
from tenants.outbox.retry import retry_delay
from tenants.outbox.verp import message_id_header

pytestmark = pytest.mark.django_db

ADDRESS = "buur@example.test"


@pytest.fixture
def smtp(settings, smtp_sink):  # type: ignore[no-untyped-def]
    """Mail goes through Django's SMTP backend to the local sink."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_TIMEOUT = 5
    return smtp_sink


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections: bound, but never listening."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield bound.getsockname()[1]


def _message(place) -> OutboxMessage:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return OutboxMessage.objects.create(
            to=ADDRESS, subject="Hallo", body="Tekst", purpose="test"
        )


def _attempt(place, message: OutboxMessage) -> OutboxMessage:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        services.deliver_message(message.pk)
        message.refresh_from_db()
    return message


def _failing_send(monkeypatch, error: BaseException) -> None:  # type: ignore[no-untyped-def]
    def send(self, fail_silently=False):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr("django.core.mail.EmailMessage.send", send)


def test_back_off_is_jittered_up_to_a_doubling_ceiling_with_a_cap(settings) -> None:
    cap = settings.OUTBOX_RETRY_MAX_DELAY_SECONDS
    for attempts, ceiling in [(1, 30), (2, 60), (3, 120), (6, 960), (12, cap), (60, cap)]:
        delays = [retry_delay(attempts).total_seconds() for _ in range(200)]
        assert all(0 <= delay <= ceiling for delay in delays)
        assert max(delays) > ceiling / 2  # full jitter spreads over the whole range...
        assert len(set(delays)) > 150  # ...so an outage's messages do not return together


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(f"no server for {ADDRESS}"),
        TimeoutError("timed out"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPDataError(451, b"4.3.0 Try again later"),
        smtplib.SMTPRecipientsRefused({ADDRESS: (450, b"4.2.1 <buur@example.test>: busy")}),
        smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"),  # our setting: fixable
    ],
)
def test_a_transient_failure_is_retried_after_a_back_off(cast, monkeypatch, error) -> None:
    message = _message(cast.a)
    _failing_send(monkeypatch, error)
    message = _attempt(cast.a, message)
    assert (message.status, message.attempts) == ("pending", 1)
    assert timezone.now() <= message.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    assert message.last_error.startswith(type(error).__name__)
    assert ADDRESS not in message.last_error


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"5.1.1 <buur@example.test>: unknown")}),
            "SMTPRecipientsRefused 550 5.1.1",
        ),
        (smtplib.SMTPDataError(554, b"5.7.1 Message rejected as spam"), "SMTPDataError 554 5.7.1"),
        (smtplib.SMTPSenderRefused(553, b"sender not allowed", "x@y"), "SMTPSenderRefused 553"),
    ],
)
def test_a_message_the_server_refuses_for_good_fails_at_once(
    cast, monkeypatch, error, reason
) -> None:
    message = _message(cast.a)
    _failing_send(monkeypatch, error)
    message = _attempt(cast.a, message)
    assert (message.status, message.attempts, message.last_error) == ("failed", 1, reason)


def test_transient_failures_are_retried_for_a_day_then_fail(cast, monkeypatch) -> None:
    _failing_send(monkeypatch, ConnectionRefusedError())
    with time_machine.travel(timezone.now(), tick=False) as clock:
        start = timezone.now()
        message = _message(cast.a)
        while message.status == "pending":
            clock.move_to(message.next_attempt_at)
            message = _attempt(cast.a, message)
            if message.status == "pending":
                assert timezone.now() - start < timedelta(hours=24)
        assert message.status == "failed"
        assert timedelta(hours=24) <= timezone.now() - start <= timedelta(hours=24, minutes=30)
    assert message.attempts > 24  # a day of tries, not five


def test_a_soft_time_limit_in_send_leaves_the_message_to_retry(cast, monkeypatch) -> None:
    message = _message(cast.a)
    _failing_send(monkeypatch, SoftTimeLimitExceeded())
    with tenant_context(cast.a.neighbourhood):
        with pytest.raises(SoftTimeLimitExceeded):  # not swallowed: Celery reports the limit
            services.deliver_message(message.pk)
        message.refresh_from_db()
    assert (message.status, message.last_error) == ("pending", "SoftTimeLimitExceeded")
    assert message.next_attempt_at > timezone.now() - timedelta(seconds=1)


def test_a_message_does_not_go_out_before_its_back_off_ends(cast, smtp) -> None:
    message = _message(cast.a)
    with tenant_context(cast.a.neighbourhood):
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
        )
    assert _attempt(cast.a, message).status == "pending"  # an early task changes nothing
    assert smtp.message_ids == []


def test_a_six_hour_mail_outage_loses_no_message(
    cast, smtp, closed_port, settings, django_capture_on_commit_callbacks
) -> None:
    # Given a mail server that answers "try again later" for three hours, then is gone
    # (connection refused) for three more, while residents keep causing mail...
    smtp.refuse = "451 4.3.0 Mail server temporarily unavailable"
    # Beat sweeps every minute; every 5 minutes here keeps the test quick (it only delays).
    sweep_every = timedelta(minutes=5)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        start = timezone.now()
        queued = []
        while timezone.now() < start + timedelta(hours=8):
            since = timezone.now() - start
            if since < timedelta(hours=6) and since.seconds % 1800 < sweep_every.seconds:
                with django_capture_on_commit_callbacks(execute=True):  # its task runs at once
                    with tenant_context(cast.a.neighbourhood):
                        queued.append(
                            services.queue_mail(to=ADDRESS, subject="Link", body="b", purpose="t")
                        )
            if since >= timedelta(hours=3):
                smtp.refuse, settings.EMAIL_PORT = None, closed_port
            if since >= timedelta(hours=6):  # ...the server is back
                settings.EMAIL_PORT = smtp.port
            # when the sweeper runs, as beat runs it
            with django_capture_on_commit_callbacks(execute=True):
                with tenant_context(cast.a.neighbourhood):
                    services.sweep_outbox()
            clock.shift(sweep_every)
    # then: every message arrived exactly once, most of them after several attempts
    with tenant_context(cast.a.neighbourhood):
        rows = list(OutboxMessage.objects.filter(pk__in=[m.pk for m in queued]))
    assert len(rows) == 12 and {row.status for row in rows} == {"sent"}
    assert sorted(smtp.message_ids) == sorted(
        message_id_header(r.message_id, cast.a.neighbourhood.schema_name) for r in rows
    )
    assert min(row.attempts for row in rows) > 1
