"""Messages refused for good: by the mail server at sending (a 5xx reply), or by a bounce
report that came back later (tenants/mailings/bounces.py reads those). Neither is retried:
the answer would be the same. A newsletter's page counts both as bounced."""

from __future__ import annotations

from django.db.models import Q

from .models import OutboxMessage

# The `last_error` of a message a bounce report came back for: "BounceReport 5.1.1".
BOUNCE_REPORT = "BounceReport"
REFUSED = Q(last_error__regex=rf"^{BOUNCE_REPORT} | 5[0-9][0-9]")


def mark_bounced(*, message: OutboxMessage, status: str) -> bool:
    """A bounce report came back for a message that was sent: it failed after all, refused
    with the enhanced status code `status` (5.1.1). False when it was marked before or was
    never sent (a report read twice changes nothing)."""
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENT).update(
            status=OutboxMessage.Status.FAILED, last_error=f"{BOUNCE_REPORT} {status}"[:300]
        )
    )
