"""The workspace's figures for the report (declared as `statistics` in contributions.py;
tenants/statistics reads them through the registry, beside this app in the layers). The keys
and their definitions are in tenants/statistics/figures.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef

from .models import SupportConversation, Trajectory, TrajectoryMove


def support_figures(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Support conversations, moves between routing steps, trajectories without movement."""
    within = (start, end)
    conversations = SupportConversation.objects.filter(held_on__range=within).aggregate(
        count=Count("pk"), participants=Count("participant", distinct=True)
    )
    steps = list(
        TrajectoryMove.objects.filter(at__date__range=within)
        .values("to_step__position", "to_step__id", "to_step__name", "to_step__name_en")
        .annotate(moves=Count("pk"), participants=Count("trajectory", distinct=True))
        .order_by("to_step__position", "to_step__id")
    )
    moved = TrajectoryMove.objects.filter(trajectory=OuterRef("pk"), at__date__range=within)
    still = Trajectory.objects.filter(started_at__date__lte=end).exclude(Exists(moved)).count()
    count, participants = conversations["count"], conversations["participants"]
    return {
        "support.conversations": count,
        "support.participants": participants,
        "support.per_participant": round(count / participants, 2) if participants else None,
        "support.moves": sum(step["moves"] for step in steps),
        "support.without_movement": still,
        "routing_steps": [
            [step["to_step__name"], step["to_step__name_en"], step["participants"]]
            for step in steps
        ],
    }
