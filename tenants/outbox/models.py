"""Every e-mail a neighbourhood sends is first a row here, written in the same
transaction as the change that caused it; a worker then delivers it."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "claimed_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk} ({self.status})"

    @property
    def is_retrying(self) -> bool:
        """Waiting for another attempt after a failed one."""
        return self.status == self.Status.PENDING and self.failing_since is not None
