from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from .actions import change_q, security_q, sensitive_read_q
from .models import AuditEvent

# The audit page's "kind" filter values.
KINDS = {"reads": sensitive_read_q, "changes": change_q, "security": security_q}


def audit_events(*, action_prefix: str = "") -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    return events


def week_bounds(week: str) -> tuple[dt.datetime, dt.datetime]:
    """An ISO week `2026-W47` as [Monday 00:00, next Monday 00:00) in local time.
    Raises ValueError for anything else."""
    year, number = week.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(number), 1)
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min))
    return start, end


def previous_week(now: dt.datetime | None = None) -> str:
    """The ISO week before the one `now` falls in (local time): the week a Monday-morning
    summary reports on."""
    today = timezone.localdate(now or timezone.now())
    year, number, _day = (today - dt.timedelta(days=7)).isocalendar()
    return f"{year}-W{number:02d}"


def filtered_events(
    *, actor_id: int | None = None, action: str = "", week: str = ""
) -> QuerySet[AuditEvent]:
    """The audit page's list. `action` is an action code or a kind (reads/changes/security)."""
    events = AuditEvent.objects.all()
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if action in KINDS:
        events = events.filter(KINDS[action]())
    elif action:
        events = events.filter(action=action)
    if week:
        start, end = week_bounds(week)
        events = events.filter(at__gte=start, at__lt=end)
    return events.order_by("-at", "-id")


def action_codes() -> list[str]:
    return list(AuditEvent.objects.values_list("action", flat=True).distinct().order_by("action"))


@dataclass(frozen=True)
class ActorActivity:
    actor_id: int | None
    actor_label: str
    reads: int
    changes: int
    security: int


def activity_by_actor(*, start: dt.datetime, end: dt.datetime) -> list[ActorActivity]:
    """Per actor in [start, end): sensitive reads, changes and security events (one query)."""
    rows = (
        AuditEvent.objects.filter(at__gte=start, at__lt=end)
        .values("actor_id", "actor_label")
        .annotate(
            reads=Count("id", filter=sensitive_read_q()),
            changes=Count("id", filter=change_q()),
            security=Count("id", filter=security_q()),
        )
        .order_by("-reads", "actor_label")
    )
    return [ActorActivity(**row) for row in rows]
