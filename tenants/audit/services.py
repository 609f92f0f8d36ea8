from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditEvent

# One event of `record_audit_events`: (action, target or None, detail or None).
Event = tuple[str, models.Model | None, dict[str, Any] | None]


def record_audit_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one event in the current neighbourhood's audit log.

    `detail` must hold identifiers and codes only: the log is itself read by staff.
    """
    event = _event(actor, action, target, detail)
    event.save()
    return event


def record_audit_events(*, actor: Any, events: Iterable[Event]) -> None:
    """Record several events of one actor in one INSERT statement: a page that shows several
    kinds of sensitive data records each read at the cost of one write. (`bulk_create` would
    wrap the statement in BEGIN and COMMIT, two more round trips; one statement is atomic.)"""
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    made = [_event(actor, action, target, detail) for action, target, detail in events]
    AuditEvent.objects._insert(made, fields=fields)  # what bulk_create runs inside


def _event(
    actor: Any, action: str, target: models.Model | None, detail: dict[str, Any] | None
) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_label=str(actor.email) if authenticated else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
    )
