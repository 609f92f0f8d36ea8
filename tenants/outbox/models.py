"""Every e-mail a neighbourhood sends is first a row here, written in the same
transaction as the change that caused it; a worker then delivers it."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxBatch(models.Model):
    """Messages that go out together (a newsletter to its subscribers): their content once,
    per language, with `[[name]]` slots each message fills from its own `fields` (its
    unsubscribe link); sent by a few lanes over reused SMTP connections at `per_second`."""

    name = models.CharField(max_length=80, unique=True)
    # Header From, with the neighbourhood's sender name; the envelope sender (where bounces
    # go) is `bounce_address`, or DEFAULT_FROM_EMAIL without one.
    from_email = models.CharField(max_length=200)
    bounce_address = models.EmailField(blank=True)
    # {language: {"subject": ..., "text": ..., "html": ...}}
    contents = models.JSONField(default=dict)
    headers = models.JSONField(default=dict)  # header name -> value, with [[name]] slots
    per_second = models.PositiveIntegerField(default=0)  # 0: as fast as the server takes
    lanes = models.PositiveSmallIntegerField(default=2)  # tasks that send side by side
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    purpose = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last attempt failed: the error's class and SMTP code, never its text (which
    # may quote the address).
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Not sent before this time: the back-off after a failed attempt.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # The first failure of the current round; retries stop OUTBOX_RETRY_FOR_SECONDS after it.
    failing_since = models.DateTimeField(null=True, blank=True)
    # A message of a batch takes its subject and bodies from the batch, in `language`, with
    # the slots filled from `fields`; `subject` repeats it for the admin's pages.
    batch = models.ForeignKey(  # no index of its own: one_message_per_recipient leads with it
        OutboxBatch,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        db_index=False,
    )
    language = models.CharField(max_length=5, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    # A single message (no batch) may carry an HTML part (then it goes out multipart), its
    # own header From (a neighbourhood's sender name) and extra headers (List-Unsubscribe).
    html = models.TextField(blank=True)
    from_email = models.CharField(max_length=200, blank=True)
    headers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One message per recipient of a batch: starting it twice writes nothing twice.
            # Over a batch's messages only: a message without one (NULL) never conflicted, and
            # every lookup by batch (`batch_id = …`) implies the condition.
            models.UniqueConstraint(
                fields=["batch", "to"],
                condition=Q(batch__isnull=False),
                name="one_message_per_recipient",
            ),
        ]
        indexes = [
            # The messages still to go out, for the sweeper (stale claims: `sending`; due
            # ones: `pending` by `next_attempt_at`). Sent and failed messages, nearly all rows,
            # are never looked up by status alone: the admin's page counts every state in one
            # scan and lists newest first.
            models.Index(
                fields=["status", "next_attempt_at"],
                # OR, not IN: pg_dump writes an IN list back in another form, and a new
                # neighbourhood (the blueprint's replay) must read exactly like a migrated one
                condition=Q(status="pending") | Q(status="sending"),
                name="outbox_in_flight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk} ({self.status})"

    @property
    def is_retrying(self) -> bool:
        """Waiting for another attempt after a failed one."""
        return self.status == self.Status.PENDING and self.failing_since is not None
