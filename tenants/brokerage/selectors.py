"""Reads of the broker's workspace: the board, the dashboard, the moderation queue. Each runs
a fixed number of queries whatever the number of participants."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tenants.market.models import Ad, AdStatus, Report, Response
from tenants.mediations.models import Mediation, MediationStatus
from tenants.mediations.selectors import due_follow_ups
from tenants.people.models import HeldMessage, Participant, SubArea
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .models import RoutingStep, SupportConversation, Trajectory

STALE_AFTER = datetime.timedelta(days=30)
DASHBOARD_LIST = 10  # rows shown per dashboard section; the count says how many there are
BOARD_COLUMN = 100  # cards shown per step; the count says how many there are


def routing_steps() -> QuerySet[RoutingStep]:
    return RoutingStep.objects.filter(is_active=True)


def all_routing_steps() -> QuerySet[RoutingStep]:
    return RoutingStep.objects.order_by("-is_active", "position", "id")


def participants() -> QuerySet[Participant]:
    """Participants the workspace works with (erased ones only count in statistics)."""
    return Participant.objects.filter(erased_at__isnull=True)


def conversation_count() -> Any:
    """An annotation: the participant's number of support conversations."""
    counted = (
        SupportConversation.objects.filter(participant=OuterRef("pk"))
        .order_by()
        .values("participant")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def support_limit() -> int:
    return current_neighbourhood().support_conversation_limit


@dataclass
class Card:
    participant: Participant
    step: RoutingStep
    since: datetime.datetime
    days: int
    conversations: int
    at_limit: bool


@dataclass
class Column:
    step: RoutingStep
    cards: list[Card] = field(default_factory=list)
    total: int = 0


@dataclass
class Board:
    steps: list[RoutingStep]  # every active step: the choices of the move form
    columns: list[Column]  # the running steps (all but the last)
    closed: int  # participants at the last step
    limit: int


def running_cards(*, sub_area: SubArea | None = None) -> tuple[list[RoutingStep], list[Card]]:
    """Every participant not at the last step, with their step (participants never moved are
    at the first), days at it and number of support conversations. Two queries."""
    steps = list(routing_steps())
    if not steps:
        return steps, []
    first, last = steps[0], steps[-1]
    by_id = {step.pk: step for step in steps}
    rows = (
        participants()
        .select_related("sub_area", "trajectory")
        .annotate(conversations=conversation_count())
        .order_by("id")
    )
    if sub_area is not None:
        rows = rows.filter(sub_area=sub_area)
    today = timezone.localdate()
    limit = support_limit()
    cards = []
    for participant in rows:
        trajectory = getattr(participant, "trajectory", None)
        if trajectory is not None:
            step = by_id.get(trajectory.step_id, first)
            since = trajectory.moved_at
        else:
            step, since = first, participant.created_at
        if step.pk == last.pk:
            continue
        cards.append(
            Card(
                participant=participant,
                step=step,
                since=since,
                days=(today - timezone.localdate(since)).days,
                conversations=participant.conversations,
                at_limit=participant.conversations >= limit,
            )
        )
    return steps, cards


def board(*, sub_area: SubArea | None = None) -> Board:
    """The routing board: running trajectories by step, longest waiting first."""
    steps, cards = running_cards(sub_area=sub_area)
    columns = {step.pk: Column(step=step) for step in steps[:-1]}
    for card in sorted(cards, key=lambda c: c.since):
        column = columns[card.step.pk]
        column.total += 1
        if len(column.cards) < BOARD_COLUMN:
            column.cards.append(card)
    closed = 0
    if steps:
        at_last = Trajectory.objects.filter(step=steps[-1], participant__erased_at__isnull=True)
        if sub_area is not None:
            at_last = at_last.filter(participant__sub_area=sub_area)
        closed = at_last.count()
    return Board(steps=steps, columns=list(columns.values()), closed=closed, limit=support_limit())


@dataclass
class Section:
    items: list[Any]
    total: int


def _section(queryset: QuerySet[Any]) -> Section:
    return Section(items=list(queryset[:DASHBOARD_LIST]), total=queryset.count())


def held_responses() -> QuerySet[Response]:
    return (
        Response.objects.filter(held_for_broker=True, seen_by_broker_at__isnull=True)
        .select_related("ad__participant", "responder")
        .order_by("created_at", "id")
    )


def open_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(handled_at__isnull=True)
        .select_related("ad__participant")
        .order_by("created_at", "id")
    )


def ads_awaiting_approval() -> QuerySet[Ad]:
    return (
        Ad.objects.filter(status=AdStatus.AWAITING_APPROVAL)
        .select_related("participant", "category")
        .order_by("created_at", "id")
    )


def held_messages() -> QuerySet[HeldMessage]:
    return HeldMessage.objects.filter(handled_at__isnull=True).select_related("participant")


def stale_trajectories(now: datetime.datetime) -> QuerySet[Trajectory]:
    last = routing_steps().order_by("-position", "-id").values("pk")[:1]
    stale = Trajectory.objects.filter(
        moved_at__lt=now - STALE_AFTER, participant__erased_at__isnull=True
    ).exclude(step_id__in=last)
    return stale.select_related("participant", "step").order_by("moved_at", "id")


@dataclass
class MonthFigures:
    new_participants: int
    ads_placed: int
    mediations_started: int
    matches: int


def month_figures(today: datetime.date) -> MonthFigures:
    """This calendar month so far: participants registered, ads placed (whatever their
    status now), mediations started, and mediations that ended as a match."""
    start = today.replace(day=1)
    start_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    return MonthFigures(
        new_participants=Participant.objects.filter(created_at__gte=start_at).count(),
        ads_placed=Ad.objects.filter(created_at__gte=start_at).count(),
        mediations_started=Mediation.objects.filter(started_on__gte=start).count(),
        matches=Mediation.objects.filter(status=MediationStatus.MATCH, ended_on__gte=start).count(),
    )


@dataclass
class Dashboard:
    follow_ups: Section
    responses: Section
    reports: Section
    awaiting: Section
    messages: Section
    stale: Section
    figures: MonthFigures


FOLLOW_UP_HORIZON = datetime.timedelta(days=7)


def dashboard() -> Dashboard:
    now = timezone.now()
    today = timezone.localdate(now)
    return Dashboard(
        # The week ahead as well as what is overdue: calls are planned, not only made late.
        follow_ups=_section(due_follow_ups(today + FOLLOW_UP_HORIZON)),
        responses=_section(held_responses()),
        reports=_section(open_reports()),
        awaiting=_section(ads_awaiting_approval()),
        messages=_section(held_messages()),
        stale=_section(stale_trajectories(now)),
        figures=month_figures(today),
    )


def participant_conversations(participant: Participant) -> QuerySet[SupportConversation]:
    return participant.support_conversations.select_related("by")


def participant_conversation_count(participant: Participant) -> int:
    return participant.support_conversations.count()
