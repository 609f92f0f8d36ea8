"""The outbox: queue mail with the change that causes it; deliver each message once.

Delivery is two short steps: claim the row (pending -> sending, with SELECT ... FOR UPDATE
SKIP LOCKED so that two workers never take the same row), then send and mark it sent.
A worker killed between the two leaves the row in `sending`; the sweeper hands it out again
after OUTBOX_STUCK_AFTER_SECONDS. Each message carries a fixed Message-ID, so the rare
resend after such a crash is recognisable as the same message.

A failed attempt only sets the row's `next_attempt_at` (see retry.py); the sweeper queues it
again once that has passed. The row holds the whole schedule, so Redis is only a wake-up:
whatever it loses, the next sweep queues again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tijdvoorelkaar.jobs import enqueue_on_commit
from tijdvoorelkaar.observability.metrics import outbox_events

from .models import OutboxMessage
from .retry import Failure, classify, retry_delay

logger = logging.getLogger(__name__)


def queue_mail(*, to: str, subject: str, body: str, purpose: str) -> OutboxMessage:
    """Store a message in the outbox; it is sent after the surrounding transaction commits.

    Subjects often carry what residents typed (an ad's title): line breaks in a header would
    make sending fail for good (or inject headers), so the subject is made one line here."""
    subject = " ".join(subject.split())[:200]
    message = OutboxMessage.objects.create(to=to, subject=subject, body=body, purpose=purpose)
    enqueue_on_commit("outbox.send_message", message.pk)
    transaction.on_commit(outbox_events.labels(event="queued").inc)
    return message


def _claim(message_id: int) -> OutboxMessage | None:
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                pk=message_id,
                status=OutboxMessage.Status.PENDING,
                next_attempt_at__lte=timezone.now(),  # a task that came early leaves it be
            )
            .first()
        )
        if message is None:
            return None
        message.status = OutboxMessage.Status.SENDING
        message.claimed_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts"])
    return message


def deliver_message(message_id: int) -> bool:
    """Send one pending message that is due. Returns whether it was sent now: False when
    there was nothing to send (sent, failed for good, not due yet, or being sent by another
    worker) or the attempt failed (the row then says when it is tried again, or that it
    failed for good)."""
    message = _claim(message_id)
    if message is None:
        return False
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": f"<{message.message_id}@tijdvoorelkaar>"},
    )
    try:
        email.send()
    except SoftTimeLimitExceeded:
        # A slow server, not a refusal: retried like an outage, and re-raised so that Celery
        # reports the time limit instead of a task that returned normally.
        _record_failure(message, Failure(reason="SoftTimeLimitExceeded", permanent=False))
        raise
    except Exception as error:  # noqa: BLE001 - every error is an attempt that failed
        _record_failure(message, classify(error))
        return False
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "sent_at"])
    outbox_events.labels(event="sent").inc()
    return True


def _record_failure(message: OutboxMessage, failure: Failure) -> None:
    """Back to pending with a back-off, or failed for good: when the failure is permanent or
    the message has been failing for OUTBOX_RETRY_FOR_SECONDS."""
    now = timezone.now()
    message.failing_since = message.failing_since or now
    budget = timedelta(seconds=settings.OUTBOX_RETRY_FOR_SECONDS)
    gave_up = failure.permanent or now - message.failing_since >= budget
    message.status = OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.PENDING
    message.next_attempt_at = now + retry_delay(message.attempts)
    message.last_error = failure.reason
    message.save(update_fields=["status", "next_attempt_at", "failing_since", "last_error"])
    outbox_events.labels(event="failed" if gave_up else "retrying").inc()
    logger.warning(  # ids and the reason only: never the address
        "outbox message %s attempt %s failed (%s): %s",
        message.pk,
        message.attempts,
        failure.reason,
        "gave up" if gave_up else f"next attempt at {message.next_attempt_at.isoformat()}",
    )


def sweep_outbox() -> int:
    """Queue every message that is due: back-offs that ended, new messages whose own task
    never came, and messages a killed worker left in `sending`. Returns the count."""
    now = timezone.now()
    # Claimed or queued this long ago: the worker died, or Redis lost the task.
    lost = now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    stuck = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, claimed_at__lt=lost)
    stuck.update(status=OutboxMessage.Status.PENDING, next_attempt_at=now)
    due = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(attempts__gt=0) | Q(created_at__lt=lost))  # a new one's task may be on its way
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for message_id in due:
            enqueue_on_commit("outbox.send_message", message_id)
    return len(due)


def retry_failed(*, message: OutboxMessage) -> OutboxMessage:
    """Give a message that failed for good another round of attempts."""
    with transaction.atomic():
        message.status = OutboxMessage.Status.PENDING
        message.attempts = 0
        message.failing_since = None  # a new round: another OUTBOX_RETRY_FOR_SECONDS
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "failing_since", "next_attempt_at"])
        enqueue_on_commit("outbox.send_message", message.pk)
    return message
