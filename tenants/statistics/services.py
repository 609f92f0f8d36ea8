"""Computing snapshots: on request (the report page's "compute now", the API) and nightly
for the standard periods, which also copies the headline figures to the platform."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from tenants.audit.services import record_audit_event
from tenants.mediations.models import Mediation
from tenants.people.models import Participant
from tijdvoorelkaar.jobs import enqueue_on_commit
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from . import periods
from .computing import compute_figures
from .models import Snapshot
from .periods import Period, PeriodKind, period_from_query

COMPUTE_TASK = "statistics.compute_snapshot"


def _neighbourhood() -> Neighbourhood:
    # As it is now: an admin may just have switched credits or the reporting year.
    return Neighbourhood.objects.get(pk=current_neighbourhood().pk)


def first_day(neighbourhood: Neighbourhood) -> datetime.date:
    """Where the whole term starts: the neighbourhood's creation, or earlier imported history."""
    earliest = Mediation.objects.aggregate(first=Min("started_on"))["first"]
    registered = Participant.objects.aggregate(first=Min("created_at"))["first"]
    days = [timezone.localdate(neighbourhood.created_at)]
    if earliest is not None:
        days.append(earliest)
    if registered is not None:
        days.append(timezone.localdate(registered))
    return min(days)


def standard_periods(neighbourhood: Neighbourhood, today: datetime.date) -> list[Period]:
    """What the nightly job keeps fresh: the whole term, this and last reporting year, this
    and last calendar year."""
    this_year = periods.reporting_year_of(today, neighbourhood.reporting_year_start_month)
    calendar = periods.calendar_year(today.year)
    return [
        periods.whole_term(first_day(neighbourhood), today),
        this_year,
        this_year.previous(),  # type: ignore[list-item]
        calendar,
        calendar.previous(),  # type: ignore[list-item]
    ]


@transaction.atomic
def request_snapshot(*, period: Period, by: Any) -> Snapshot:
    """Queue the computation of `period`'s figures (once: a request while one waits or runs
    joins it). Returns the snapshot whose `state` and `progress` the page follows."""
    snapshot, _created = Snapshot.objects.select_for_update().get_or_create(
        kind=period.kind, start=period.start, end=period.end
    )
    if snapshot.busy and not _created:
        return snapshot
    snapshot.state = Snapshot.State.QUEUED
    snapshot.progress = 0
    snapshot.save(update_fields=["state", "progress"])
    record_audit_event(
        actor=by,
        action="statistics.compute_requested",
        target=snapshot,
        detail={
            "period": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
    )
    enqueue_on_commit(COMPUTE_TASK, snapshot.pk)
    return snapshot


def _set_progress(snapshot: Snapshot, percent: int) -> None:
    Snapshot.objects.filter(pk=snapshot.pk).update(state=Snapshot.State.RUNNING, progress=percent)


def compute_snapshot(*, snapshot_id: int, today: datetime.date | None = None) -> Snapshot | None:
    """Compute the figures of a requested snapshot and store them with the moment."""
    snapshot = Snapshot.objects.filter(pk=snapshot_id).first()
    if snapshot is None:  # removed since it was queued
        return None
    neighbourhood = _neighbourhood()
    _set_progress(snapshot, 0)
    try:
        figures = compute_figures(
            snapshot.period,
            today=today or timezone.localdate(),
            credits_enabled=neighbourhood.credits_enabled,
            progress=lambda percent: _set_progress(snapshot, percent),
        )
    except Exception:
        Snapshot.objects.filter(pk=snapshot.pk).update(state=Snapshot.State.FAILED)
        raise
    snapshot.figures = figures
    snapshot.computed_at = timezone.now()
    snapshot.state = Snapshot.State.DONE
    snapshot.progress = 100
    snapshot.save(update_fields=["figures", "computed_at", "state", "progress"])
    if snapshot.kind == PeriodKind.WHOLE_TERM:
        # One whole term is kept: yesterday's ends a day earlier and is superseded.
        Snapshot.objects.filter(kind=PeriodKind.WHOLE_TERM).exclude(pk=snapshot.pk).exclude(
            state__in=[Snapshot.State.QUEUED, Snapshot.State.RUNNING]
        ).delete()
    return snapshot


def store_snapshot(
    *, period: Period, today: datetime.date, neighbourhood: Neighbourhood
) -> Snapshot:
    """Compute `period` now, in this process (the nightly job and the demo)."""
    snapshot, _created = Snapshot.objects.get_or_create(
        kind=period.kind, start=period.start, end=period.end
    )
    computed = compute_snapshot(snapshot_id=snapshot.pk, today=today)
    assert computed is not None
    return computed


def period_of(query: Any) -> Period:
    """The period a page's or the API's query names; raises `ValidationError` naming a field."""
    neighbourhood = current_neighbourhood()
    return period_from_query(
        query,
        start_month=neighbourhood.reporting_year_start_month,
        first_day=first_day(neighbourhood),
        today=timezone.localdate(),
    )


HEADLINES = {
    "mediations": "mediations.total",
    "matches": "mediations.matches",
    "participants_new": "participants.new",
    "participants_active": "participants.active",
    "participants_total": "participants.total",
    "group_visits": "group_visits.count",
    "ads_placed": "ads.placed",
    "visits": "site.visits",
    "unique_visitors": "site.unique_visitors",
    "credits_issued": "credits.issued",
}


def headline_figures(snapshot: Snapshot) -> dict[str, int | float | None]:
    return {name: snapshot.figures.get(key) for name, key in HEADLINES.items()}


def _record_headlines(neighbourhood: Neighbourhood, snapshot: Snapshot, period_key: str) -> None:
    try:
        from tijdvoorelkaar.headlines.services import record_headlines
    except ImportError:  # the platform's headlines are not installed in this build
        return
    assert snapshot.computed_at is not None
    record_headlines(
        neighbourhood=neighbourhood,
        period_key=period_key,
        period_start=snapshot.start,
        period_end=snapshot.end,
        computed_at=snapshot.computed_at,
        figures=headline_figures(snapshot),
    )


def compute_standard_snapshots(*, today: datetime.date | None = None) -> int:
    """The nightly job: refresh the standard periods and copy the headline figures of the
    whole term and the current reporting year to the platform. Returns how many it computed."""
    today = today or timezone.localdate()
    neighbourhood = _neighbourhood()
    snapshots = [
        store_snapshot(period=period, today=today, neighbourhood=neighbourhood)
        for period in standard_periods(neighbourhood, today)
    ]
    # The console's keys: "term" for the whole term, the year itself ("2025-2026") otherwise.
    _record_headlines(neighbourhood, snapshots[0], "term")
    year = snapshots[1].period
    key = str(year.start.year) if year.start.month == 1 else f"{year.start.year}-{year.end.year}"
    _record_headlines(neighbourhood, snapshots[1], key)
    return len(snapshots)
