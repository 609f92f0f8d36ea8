"""The outbox: queue mail with the change that causes it; deliver each message once.

Delivery is two short steps: claim the row (pending -> sending, with SELECT ... FOR UPDATE
SKIP LOCKED so that two workers never take the same row), then send and mark it sent.
A worker killed between the two leaves the row in `sending`; the sweeper hands it out again
after OUTBOX_STUCK_AFTER_SECONDS. Each message carries a fixed Message-ID, so the rare
resend after such a crash is recognisable as the same message.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from tijdvoorelkaar.jobs import enqueue_on_commit

from .models import OutboxMessage


class DeliveryFailed(Exception):
    """Sending failed; the message stays pending for another attempt after `retry_delay`."""

    def __init__(self, kind: str, attempts: int) -> None:
        super().__init__(kind)
        self.attempts = attempts


def retry_delay(attempts: int) -> timedelta:
    """How long a message waits after its n-th failed attempt: 30 s, 1 min, 2 min, 4 min..."""
    return timedelta(seconds=30 * 2 ** max(attempts - 1, 0))


def queue_mail(*, to: str, subject: str, body: str, purpose: str) -> OutboxMessage:
    """Store a message in the outbox; it is sent after the surrounding transaction commits.

    Subjects often carry what residents typed (an ad's title): line breaks in a header would
    make sending fail for good (or inject headers), so the subject is made one line here."""
    subject = " ".join(subject.split())[:200]
    message = OutboxMessage.objects.create(to=to, subject=subject, body=body, purpose=purpose)
    enqueue_on_commit("outbox.send_message", message.pk)
    return message


def _claim(message_id: int) -> OutboxMessage | None:
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
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
    """Send one pending message. Returns False if there was nothing to send
    (already sent, failed for good, or being sent by another worker)."""
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
    except Exception as error:  # noqa: BLE001 - any transport error counts as a failed attempt
        gave_up = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        message.status = OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.PENDING
        message.last_error = type(error).__name__  # the class only: messages may hold addresses
        message.save(update_fields=["status", "last_error"])
        if gave_up:
            return False
        raise DeliveryFailed(message.last_error, message.attempts) from error
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "sent_at"])
    return True


def sweep_outbox() -> int:
    """Hand out again what a lost task or a killed worker left behind; returns the count."""
    now = timezone.now()
    stuck = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS),
    )
    stuck.update(status=OutboxMessage.Status.PENDING)
    # A pending message is overdue when its first task never came (a minute after it was
    # queued) or its retry never came (a minute after its back-off ended): never earlier,
    # so the sweeper does not undo the back-off.
    pending = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, created_at__lt=now - timedelta(minutes=1)
    ).values_list("pk", "attempts", "claimed_at")
    overdue = [
        pk
        for pk, attempts, claimed_at in pending
        if not attempts or claimed_at + retry_delay(attempts) + timedelta(minutes=1) < now
    ]
    with transaction.atomic():
        for message_id in overdue:
            enqueue_on_commit("outbox.send_message", message_id)
    return len(overdue)


def retry_failed(*, message: OutboxMessage) -> OutboxMessage:
    """Give a message that failed for good another round of attempts."""
    with transaction.atomic():
        message.status = OutboxMessage.Status.PENDING
        message.attempts = 0
        message.save(update_fields=["status", "attempts"])
        enqueue_on_commit("outbox.send_message", message.pk)
    return message
