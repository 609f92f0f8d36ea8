"""Reads of the broker's workspace: the board, the dashboard, the moderation queue. Each runs
a fixed number of queries whatever the number of participants."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    F,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Now, RowNumber
from django.utils import timezone

from tenants.market.models import Ad, AdStatus, Report, Response
from tenants.mediations.models import Mediation, MediationStatus
from tenants.mediations.selectors import FOLLOW_UP_HORIZON, due_follow_ups
from tenants.people.models import HeldMessage, Participant, SubArea
from tijdvoorelkaar.combined_reads import Counted, Rows, Statement, prepare
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.translated_names import name_in_language

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
    items: list[dict[str, Any]]  # the first DASHBOARD_LIST rows, each with what the page shows
    total: int


def held_responses() -> QuerySet[Response]:
    return Response.objects.filter(held_for_broker=True, seen_by_broker_at__isnull=True).order_by(
        "created_at", "id"
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
    return HeldMessage.objects.filter(handled_at__isnull=True)


def stale_trajectories() -> QuerySet[Trajectory]:
    """Running trajectories not moved for STALE_AFTER (by the database's clock)."""
    last = routing_steps().order_by("-position", "-id").values("pk")[:1]
    stale = Trajectory.objects.filter(
        moved_at__lt=Now() - STALE_AFTER, participant__erased_at__isnull=True
    ).exclude(step_id__in=last)
    return stale.order_by("moved_at", "pk")


@dataclass
class MonthFigures:
    new_participants: int
    ads_placed: int
    mediations_started: int
    matches: int


def month_figures(today: datetime.date) -> dict[str, Counted]:
    """This calendar month so far: participants registered, ads placed (whatever their
    status now), mediations started, and mediations that ended as a match."""
    start = today.replace(day=1)
    start_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    return {
        "new_participants": Counted(Participant.objects.filter(created_at__gte=start_at)),
        "ads_placed": Counted(Ad.objects.filter(created_at__gte=start_at)),
        "mediations_started": Counted(Mediation.objects.filter(started_on__gte=start)),
        "matches": Counted(
            Mediation.objects.filter(status=MediationStatus.MATCH, ended_on__gte=start)
        ),
    }


@dataclass
class Dashboard:
    follow_ups: Section
    responses: Section
    reports: Section
    awaiting: Section
    messages: Section
    stale: Section
    figures: MonthFigures


DASHBOARD_SECTIONS = ("follow_ups", "responses", "reports", "awaiting", "messages", "stale")


def _listed(queryset: QuerySet[Any], *fields: str, **related: Any) -> Rows:
    """A dashboard section: only the columns it shows, its first rows and their count."""
    return Rows(queryset.values(*fields, **related), limit=DASHBOARD_LIST, counted=True)


def dashboard() -> Dashboard:
    """Every section and the month's figures, in one statement; a section's rows are dicts
    of what the page shows, not model instances."""
    found = _dashboard_statement(timezone.localdate()).run()
    reasons = dict(Report.Reason.choices)
    for report in found["reports"].rows:
        report["reason"] = reasons.get(report["reason"], report["reason"])
    for trajectory in found["stale"].rows:
        trajectory["step_name"] = name_in_language(
            trajectory["step_name"], trajectory.pop("step_en")
        )
    return Dashboard(
        **{name: Section(found[name].rows, found[name].total) for name in DASHBOARD_SECTIONS},
        figures=MonthFigures(
            new_participants=found["new_participants"],
            ads_placed=found["ads_placed"],
            mediations_started=found["mediations_started"],
            matches=found["matches"],
        ),
    )


@functools.lru_cache(maxsize=1)
def _dashboard_statement(today: datetime.date) -> Statement:
    """The dashboard's reads, compiled once a day per process: the SQL depends on the day
    only (the stale cut-off is the database's clock), and compiling these ten querysets
    costs several times the CPU of running them."""
    return prepare(
        # The week ahead as well as what is overdue: calls are planned, not only made late.
        follow_ups=_listed(
            due_follow_ups(today + FOLLOW_UP_HORIZON),
            "due_on",
            "mediation_id",
            requester=F("mediation__requester__display_name"),
            provider_id=F("mediation__provider_id"),
            provider=F("mediation__provider__display_name"),
            organisation=F("mediation__organisation__name"),
        ),
        responses=_listed(
            held_responses(),
            "pk",
            responder_name=F("responder__display_name"),
            title=F("ad__title"),
            owner_id=F("ad__participant_id"),
            owner=F("ad__participant__display_name"),
        ),
        reports=_listed(open_reports(), "reason", title=F("ad__title")),
        awaiting=_listed(ads_awaiting_approval(), "title", owner=F("participant__display_name")),
        messages=_listed(held_messages(), "pk", "subject", owner=F("participant__display_name")),
        stale=_listed(
            stale_trajectories(),
            "participant_id",
            "moved_at",
            name=F("participant__display_name"),
            step_name=F("step__name"),
            step_en=F("step__name_en"),
        ),
        **month_figures(today),
    )


def participant_conversations(participant: Participant) -> QuerySet[SupportConversation]:
    return participant.support_conversations.select_related("by")


def participant_conversation_count(participant: Participant) -> int:
    return participant.support_conversations.count()
