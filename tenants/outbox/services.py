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

import html
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, parseaddr
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from tijdvoorelkaar.contributions import hooks
from tijdvoorelkaar.jobs import enqueue_on_commit
from tijdvoorelkaar.observability.metrics import outbox_events

from .models import OutboxBatch, OutboxMessage
from .refusals import REFUSED
from .retry import Failure, classify, retry_delay
from .verp import envelope_sender, message_id_header

logger = logging.getLogger(__name__)


def queue_mail(
    *,
    to: str,
    subject: str,
    body: str,
    purpose: str,
    html: str = "",
    from_name: str = "",
    headers: dict[str, str] | None = None,
    bounce_address: str | None = None,
) -> OutboxMessage:
    """Store a message in the outbox; it is sent after the surrounding transaction commits.

    With `html` it goes out multipart (`body` is the plain text part); `from_name` is the
    name people see as the sender (a neighbourhood's own), at the platform's address;
    `headers` adds headers (List-Unsubscribe); `bounce_address` makes the envelope sender
    the neighbourhood's bounce address with this message's VERP token (verp.py), so that a
    bounce is read back: by default the one the neighbourhood set (the `bounce_address` hook,
    one query; bulk senders look it up once and pass it, "" for none). Subjects and header
    values often carry what residents typed: a line break in a header would make sending
    fail for good (or inject headers), so each is made one line here."""
    subject = " ".join(subject.split())[:200]
    if bounce_address is None:
        bounce_address = neighbourhood_bounce_address()
    from_email = ""
    if from_name.strip():
        _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        from_email = formataddr((_one_line(from_name), address))
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject,
        body=body,
        purpose=purpose,
        html=html,
        from_email=from_email,
        headers={_one_line(name): _one_line(value) for name, value in (headers or {}).items()},
        # a single message has no slots: its fields hold only where bounces go
        fields={"bounce_address": bounce_address} if bounce_address else {},
    )
    enqueue_on_commit("outbox.send_message", message.pk)
    transaction.on_commit(outbox_events.labels(event="queued").inc)
    return message


def neighbourhood_bounce_address() -> str:
    """Where this neighbourhood's bounces go (mailings' settings, read through its
    `bounce_address` hook), or "" for the platform's sender address."""
    return next((found for hook in hooks("bounce_address") if (found := hook())), "")


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


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
    email = _email_for(message, message.batch)
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
    _mark_sent(message)
    return True


def _mark_sent(message: OutboxMessage) -> None:
    # its own statement, committed at once: the window for a resend after a worker's crash
    # is the time between the server's "250" and this commit
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    outbox_events.labels(event="sent").inc()


_SLOT = re.compile(r"\[\[(\w+)\]\]")


def _fill(template: str, fields: dict[str, Any], *, escape: bool = False) -> str:
    def value(match: re.Match[str]) -> str:
        text = str(fields.get(match.group(1), ""))
        return html.escape(text) if escape else text

    return _SLOT.sub(value, template)


def _email_for(message: OutboxMessage, batch: OutboxBatch | None) -> EmailMessage:
    # `from_email` of Django's message is the envelope sender; the header From is set apart
    headers = {"Message-ID": message_id_header(message.message_id)}
    if batch is None:
        headers.update(message.headers)
        headers["From"] = message.from_email or settings.DEFAULT_FROM_EMAIL
        envelope = envelope_sender(message.fields.get("bounce_address", ""), message.pk)
        single = EmailMultiAlternatives if message.html else EmailMessage
        email = single(
            subject=message.subject,
            body=message.body,
            from_email=envelope or headers["From"],
            to=[message.to],
            headers=headers,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        return email
    content = batch.contents.get(message.language) or next(iter(batch.contents.values()))
    for name, value in batch.headers.items():
        headers[name] = " ".join(_fill(value, message.fields).split())  # one line, always
    headers["From"] = batch.from_email
    email = EmailMultiAlternatives(
        subject=" ".join(content["subject"].split()),
        body=_fill(content["text"], message.fields),
        from_email=envelope_sender(batch.bounce_address, message.pk) or settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=headers,
    )
    email.attach_alternative(_fill(content["html"], message.fields, escape=True), "text/html")
    return email


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
    if failure.recipient_refused:
        for hook in hooks("recipient_refused"):
            hook(email=message.to)


def sweep_outbox() -> int:
    """Queue every message that is due: back-offs that ended, new messages whose own task
    never came, and messages a killed worker left in `sending`. Returns the count."""
    now = timezone.now()
    # Claimed or queued this long ago: the worker died, or Redis lost the task.
    lost = now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    stuck = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, claimed_at__lt=lost)
    stuck.update(status=OutboxMessage.Status.PENDING, next_attempt_at=now)
    due = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).filter(Q(attempts__gt=0) | Q(created_at__lt=lost))  # a new one's task may be on its way
    single = list(due.filter(batch__isnull=True).values_list("pk", flat=True))
    # a batch's messages go out by its lanes, not one task each
    batches = set(due.filter(batch__isnull=False).values_list("batch", flat=True).distinct())
    with transaction.atomic():
        for message_id in single:
            enqueue_on_commit("outbox.send_message", message_id)
        for batch in OutboxBatch.objects.filter(pk__in=batches):
            _wake_lanes(batch)
    return len(single) + len(batches)


@dataclass(frozen=True)
class BatchMessage:
    """One recipient of a batch: the address, the language and what fills its slots."""

    to: str
    language: str
    fields: dict[str, Any]


def add_to_batch(*, batch: OutboxBatch, messages: Iterable[BatchMessage]) -> int:
    """Write the messages of a batch in one transaction (call it once per slice of the
    recipients); a recipient the batch already has is skipped, so writing a slice again after
    a crash adds nothing twice. Sending starts after commit. Returns how many were new."""
    rows = [
        OutboxMessage(
            batch=batch,
            to=message.to,
            language=message.language,
            fields=message.fields,
            subject=" ".join(_subject(batch, message.language).split())[:200],
            body="",
            purpose="batch",
        )
        for message in messages
    ]
    with transaction.atomic():
        before = OutboxMessage.objects.filter(batch=batch).count()
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        added = OutboxMessage.objects.filter(batch=batch).count() - before
        _wake_lanes(batch)
    return added


def _subject(batch: OutboxBatch, language: str) -> str:
    content = batch.contents.get(language) or next(iter(batch.contents.values()))
    return str(content["subject"])


def _wake_lanes(batch: OutboxBatch) -> None:
    for _lane in range(max(batch.lanes, 1)):
        enqueue_on_commit("outbox.send_batch", batch.pk)


def _claim_slice(batch: OutboxBatch, size: int) -> list[OutboxMessage]:
    """Take up to `size` due messages of the batch that no other lane holds."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(batch=batch, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            .order_by("pk")[:size]
        )
        if rows:
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=OutboxMessage.Status.SENDING,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
    for row in rows:
        row.status, row.claimed_at, row.attempts = (
            OutboxMessage.Status.SENDING,
            now,
            row.attempts + 1,
        )
    return rows


def _slice_size(batch: OutboxBatch) -> int:
    """Small enough that a lane sends its slice in about 10 s at the batch's pace: what a
    killed lane held waits OUTBOX_STUCK_AFTER_SECONDS, and a slow lane must not look dead."""
    if not batch.per_second:
        return settings.OUTBOX_SLICE
    return max(1, min(settings.OUTBOX_SLICE, batch.per_second * 10 // max(batch.lanes, 1)))


def deliver_batch(batch_id: int, *, for_seconds: float | None = None) -> int:
    """One lane of a batch: claim a small slice of its due messages, send them over one SMTP
    connection that stays open, mark each sent as soon as the server took it; repeat for
    about `for_seconds` (then the lane queues itself again, so a task stays short). Paced at
    the batch's `per_second` shared by its lanes. Returns how many were sent."""
    batch = OutboxBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return 0
    budget = settings.OUTBOX_LANE_SECONDS if for_seconds is None else for_seconds
    interval = max(batch.lanes, 1) / batch.per_second if batch.per_second else 0.0
    started = next_at = time.monotonic()
    backend = get_connection()
    sent = 0
    # A lane's commits (a claim, a sent mark per message) do not wait for PostgreSQL's log
    # flush: a crash of the database itself (not of a worker) may forget the last fraction
    # of a second of sent marks, and those messages go out again with the same Message-ID;
    # none is lost. Reset before the connection serves another task.
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        while time.monotonic() - started < budget:
            rows = _claim_slice(batch, _slice_size(batch))
            if not rows:
                return sent
            for row in rows:
                if interval:
                    time.sleep(max(0.0, next_at - time.monotonic()))
                    next_at = max(next_at, time.monotonic() - interval) + interval
                sent += _send_over(backend, row, batch)
        with transaction.atomic():
            enqueue_on_commit("outbox.send_batch", batch.pk)  # more to do: this lane goes on
        return sent
    finally:
        backend.close()
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


def _send_over(backend: Any, message: OutboxMessage, batch: OutboxBatch) -> int:
    email = _email_for(message, batch)
    email.connection = backend
    try:
        if getattr(backend, "connection", None) is None:  # SMTP: open once, reuse
            backend.open()
        backend.send_messages([email])
    except SoftTimeLimitExceeded:
        _record_failure(message, Failure(reason="SoftTimeLimitExceeded", permanent=False))
        raise
    except Exception as error:  # noqa: BLE001 - every error is an attempt that failed
        failure = classify(error)
        _record_failure(message, failure)
        if not failure.permanent:
            backend.close()  # a broken session: the next message opens a new one
        return 0
    _mark_sent(message)
    return 1


def batch_counts(batch: OutboxBatch) -> dict[str, int]:
    """queued (waiting, retrying or being sent), sent, failed, bounced (refused for good:
    a 5xx reply, or a bounce report later), in one query."""
    failed = Q(status=OutboxMessage.Status.FAILED)
    bounced = failed & REFUSED
    return OutboxMessage.objects.filter(batch=batch).aggregate(
        queued=Count("pk", filter=Q(status__in=["pending", "sending"])),
        sent=Count("pk", filter=Q(status=OutboxMessage.Status.SENT)),
        failed=Count("pk", filter=failed & ~bounced),
        bounced=Count("pk", filter=bounced),
    )


def retry_failed_batch(*, batch: OutboxBatch) -> int:
    """Another round for the batch's messages that failed for good (not those refused with a
    5xx: the same server would refuse them again). Returns how many."""
    with transaction.atomic():
        retried = (
            OutboxMessage.objects.filter(batch=batch, status=OutboxMessage.Status.FAILED)
            .exclude(REFUSED)
            .update(
                status=OutboxMessage.Status.PENDING,
                attempts=0,
                failing_since=None,
                next_attempt_at=timezone.now(),
            )
        )
        if retried:
            _wake_lanes(batch)
    return retried


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
