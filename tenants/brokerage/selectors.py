"""Reads of the broker's workspace: the board, the dashboard, the moderation queue. Each runs
a fixed number of queries whatever the number of participants."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    F,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from tenants.market.models import Ad, AdStatus, Report, Response
from tenants.mediations.models import Mediation, MediationStatus
from tenants.mediations.selectors import FOLLOW_UP_HORIZON, due_follow_ups
from tenants.people.models import HeldMessage, Participant, SubArea
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .models import RoutingStep, SupportConversation, Trajectory

STALE_AFTER = datetime.timedelta(days=30)
DASHBOARD_LIST = 10  # rows shown per dashboard section; the count says how many there are
BOARD_COLUMN = 12  # cards shown per step; the count says how many there are


def routing_steps() -> QuerySet[RoutingStep]:
    return RoutingStep.objects.filter(is_active=True)


def all_routing_steps() -> QuerySet[RoutingStep]:
    return RoutingStep.objects.order_by("-is_active", "position", "id")


def participants() -> QuerySet[Participant]:
    """Participants the workspace works with (erased ones only count in statistics)."""
    return Participant.objects.filter(erased_at__isnull=True)


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


def running(
    *, sub_area: SubArea | None = None, step: RoutingStep | None = None
) -> tuple[list[RoutingStep], QuerySet[Participant]]:
    """The active steps, and every participant not at the last one, annotated with their
    step (participants never moved are at the first), since when, and their number of
    support conversations; longest waiting first. The rows are a lazy query."""
    steps = list(routing_steps())
    if not steps:
        return steps, participants().none()
    rows = (
        participants()
        .annotate(
            board_step=Coalesce("trajectory__step_id", Value(steps[0].pk)),
            board_since=Coalesce("trajectory__moved_at", "created_at"),
        )
        .exclude(board_step=steps[-1].pk)
        .select_related("sub_area")
        .order_by("board_since", "id")
    )
    if sub_area is not None:
        rows = rows.filter(sub_area=sub_area)
    if step is not None:
        rows = rows.filter(board_step=step.pk)
    return steps, rows


def cards(rows: Iterable[Participant], steps: list[RoutingStep]) -> list[Card]:
    """Board cards for annotated rows from `running()`, with their support conversations
    counted for these rows only (one query)."""
    rows = list(rows)
    counted = dict(
        SupportConversation.objects.filter(participant__in=rows)
        .order_by()
        .values("participant")
        .annotate(n=Count("id"))
        .values_list("participant", "n")
    )
    by_id = {step.pk: step for step in steps}
    today = timezone.localdate()
    limit = support_limit()
    return [
        Card(
            participant=row,
            step=by_id.get(row.board_step, steps[0]),  # type: ignore[attr-defined]
            since=row.board_since,  # type: ignore[attr-defined]
            days=(today - timezone.localdate(row.board_since)).days,  # type: ignore[attr-defined]
            conversations=counted.get(row.pk, 0),
            at_limit=counted.get(row.pk, 0) >= limit,
        )
        for row in rows
    ]


def board(*, sub_area: SubArea | None = None) -> Board:
    """The routing board: per running step its number of people and the BOARD_COLUMN who
    waited longest. Three queries, and a page of the same size, however many people."""
    steps, rows = running(sub_area=sub_area)
    if not steps:
        return Board(steps=steps, columns=[], closed=0, limit=support_limit())
    totals = dict(
        rows.order_by().values("board_step").annotate(n=Count("id")).values_list("board_step", "n")
    )
    longest_waiting = rows.annotate(
        place=Window(
            RowNumber(), partition_by=[F("board_step")], order_by=[F("board_since"), F("id")]
        )
    ).filter(place__lte=BOARD_COLUMN)
    columns = {step.pk: Column(step=step, total=totals.get(step.pk, 0)) for step in steps[:-1]}
    for card in cards(longest_waiting, steps):
        columns[card.step.pk].cards.append(card)
    at_last = Trajectory.objects.filter(step=steps[-1], participant__erased_at__isnull=True)
    if sub_area is not None:
        at_last = at_last.filter(participant__sub_area=sub_area)
    return Board(
        steps=steps, columns=list(columns.values()), closed=at_last.count(), limit=support_limit()
    )


@dataclass
class Section:
    items: list[Any]
    total: int


def _section(queryset: QuerySet[Any]) -> Section:
    """The first DASHBOARD_LIST rows and how many there are, in one query (a window count
    over the whole filtered set, taken before the limit)."""
    items = list(queryset.annotate(section_total=Window(Count("pk")))[:DASHBOARD_LIST])
    return Section(items=items, total=items[0].section_total if items else 0)


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
        **_count_each(
            new_participants=Participant.objects.filter(created_at__gte=start_at),
            ads_placed=Ad.objects.filter(created_at__gte=start_at),
            mediations_started=Mediation.objects.filter(started_on__gte=start),
            matches=Mediation.objects.filter(status=MediationStatus.MATCH, ended_on__gte=start),
        )
    )


def _count_each(**querysets: QuerySet[Any]) -> dict[str, int]:
    """The number of rows of each queryset, in one round trip: one scalar subquery each,
    written by Django (`sql_with_params`, so the parameters stay parameters)."""
    parts, params = [], []
    for queryset in querysets.values():
        sql, own_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608 - Django's SQL
        params.extend(own_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


@dataclass
class Dashboard:
    follow_ups: Section
    responses: Section
    reports: Section
    awaiting: Section
    messages: Section
    stale: Section
    figures: MonthFigures


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
