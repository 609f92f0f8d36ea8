"""The site-use figures for a period, in two queries however many visits."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Sum

from .models import Visitor

REGULAR_VISITS = 6


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first days of the first and last month wholly inside [start, end], if any."""
    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after_end = end + timedelta(days=1)
    last = (after_end.replace(day=1) - timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def site_use_figures(start: date, end: date) -> dict[str, object]:
    """Site use from `start` to `end` (both included): `visits`; `unique_visitors`, the sum of
    each day's unique visitors (a visitor is recognised within one day only); `regular_visitors`,
    visitors with 6 or more visits in the whole months of the period (recognised within one
    reporting year); `per_day`, (date, visits) for every day, zeros included."""
    daily = {
        row["period"]: (row["visits"], row["visitors"])
        for row in Visitor.objects.filter(kind=Visitor.Kind.DAY, period__range=(start, end))
        .values("period")
        .annotate(visits=Sum("visits"), visitors=Count("visitor"))
    }
    days = (end - start).days + 1
    per_day = [
        (day, daily.get(day, (0, 0))[0])
        for day in (start + timedelta(days=offset) for offset in range(max(days, 0)))
    ]
    return {
        "visits": sum(visits for visits, _visitors in daily.values()),
        "unique_visitors": sum(visitors for _visits, visitors in daily.values()),
        "regular_visitors": _regular_visitors(start, end),
        "per_day": per_day,
    }


def _regular_visitors(start: date, end: date) -> int:
    months = _whole_months(start, end)
    if months is None:
        return 0
    return (
        Visitor.objects.filter(kind=Visitor.Kind.MONTH, period__range=months)
        .values("visitor")
        .annotate(total=Sum("visits"))
        .filter(total__gte=REGULAR_VISITS)
        .count()
    )
