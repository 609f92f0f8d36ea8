from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


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
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor.email) if authenticated else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
    )
