from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events(*, action_prefix: str = "") -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    return events
