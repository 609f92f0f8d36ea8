"""Reads of the report: the snapshot of a period and the one before it."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Snapshot
from .periods import Period, PeriodKind


def snapshot_of(period: Period) -> Snapshot | None:
    """The stored snapshot of `period`; for the whole term, the newest one (it ends today,
    and the nightly job replaces yesterday's)."""
    if period.kind == PeriodKind.WHOLE_TERM:
        return Snapshot.objects.filter(kind=PeriodKind.WHOLE_TERM).order_by("-end", "-id").first()
    return Snapshot.objects.filter(kind=period.kind, start=period.start, end=period.end).first()


def previous_snapshot(period: Period) -> Snapshot | None:
    before = period.previous()
    return snapshot_of(before) if before is not None else None


def computed_snapshots() -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(computed_at__isnull=False).order_by("-end", "kind", "id")
