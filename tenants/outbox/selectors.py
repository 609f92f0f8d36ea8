"""What the neighbourhood's admin sees of its mail: how much waits, retries or failed."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import OutboxMessage

Status = OutboxMessage.Status

# The states an admin can look at; "retrying" is a pending message that has failed before.
STATES: dict[str, Q] = {
    "waiting": Q(status=Status.PENDING, failing_since__isnull=True),
    "retrying": Q(status=Status.PENDING, failing_since__isnull=False),
    "sending": Q(status=Status.SENDING),
    "failed": Q(status=Status.FAILED),
}


def outbox_counts() -> dict[str, int]:
    """The number of messages in each of STATES (one query)."""
    return OutboxMessage.objects.aggregate(
        **{state: Count("pk", filter=condition) for state, condition in STATES.items()}
    )


def outbox_messages(*, state: str = "") -> QuerySet[OutboxMessage]:
    """Newest first; only those in `state` when it is one of STATES."""
    messages = OutboxMessage.objects.order_by("-created_at", "-pk")
    return messages.filter(STATES[state]) if state in STATES else messages
