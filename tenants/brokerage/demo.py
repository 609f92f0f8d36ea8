"""Demo routing for a demo neighbourhood: the people app's participants at various steps, a
few support conversations (one participant at the limit) and a couple of trajectories that
have not moved for a while."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import RoutingStep, Trajectory, TrajectoryMove
from .selectors import participants
from .services import log_support_conversation, move_trajectory

SUMMARIES = (
    ("visit", "Kennismaking aan huis; ze wil graag iets doen in de tuin."),
    ("phone", "Samen de advertentie opgesteld en voorgelezen."),
    ("office", "Eerste ontmoeting voorbereid; ze gaat met z'n tweeën."),
    ("phone", "Nagebeld: het contact loopt goed, volgende maand weer."),
)


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    people = list(participants().order_by("id")[:14])
    steps = list(RoutingStep.objects.filter(is_active=True))
    if not people or len(steps) < 2:
        return  # nothing to route (the people app's demo adds the participants)
    broker = User.objects.filter(role=Role.BROKER, is_active=True).order_by("id").first()
    today = timezone.localdate()
    for index, person in enumerate(people):
        move_trajectory(participant=person, to_step=steps[index % len(steps)], by=broker)
    # The first participant had as many conversations as the method suggests: the limit.
    limit = neighbourhood.support_conversation_limit
    for number in range(limit):
        channel, summary = SUMMARIES[number % len(SUMMARIES)]
        log_support_conversation(
            participant=people[0],
            by=broker,
            channel=channel,
            summary=summary,
            held_on=today - datetime.timedelta(days=7 * (limit - number)),
        )
    for offset, person in enumerate(people[1:4], start=1):
        channel, summary = SUMMARIES[offset % len(SUMMARIES)]
        log_support_conversation(
            participant=person,
            by=broker,
            channel=channel,
            summary=summary,
            held_on=today - datetime.timedelta(days=offset),
        )
    # Two trajectories that have been standing still for a while (the dashboard shows them).
    # Backdating is demo-only: the services always record the moment of the move.
    stale = [p.pk for i, p in enumerate(people) if i % len(steps) not in (len(steps) - 1,)][-2:]
    still_since = timezone.now() - datetime.timedelta(days=45)
    Trajectory.objects.filter(participant_id__in=stale).update(
        started_at=still_since, moved_at=still_since
    )
    # their move too, or the timeline says they moved on the day the demo was built
    TrajectoryMove.objects.filter(trajectory__participant_id__in=stale).update(at=still_since)
