"""Reads of the mediations app: lists with their related rows in a fixed number of queries,
the follow-ups due, match suggestions and the figures of the morning digest."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import Case, F, FloatField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.market.models import Ad, AdKind, AdStatus, Report
from tenants.organisations.models import Organisation
from tenants.outbox.models import OutboxMessage
from tenants.people.models import HeldMessage, Participant
from tijdvoorelkaar.accounts.models import Role, User

from .models import Feedback, FollowUp, Mediation, MediationStatus, Placement

SIDES = ("requester", "requester__sub_area", "provider", "organisation")
SEARCH_CONFIGS = ("dutch", "english")


def mediations_for_list(
    *,
    status: str = "",
    active: bool | None = None,
    started_from: datetime.date | None = None,
    started_to: datetime.date | None = None,
    participant: Participant | int | None = None,
) -> QuerySet[Mediation]:
    """Mediations, newest first, filtered; both sides joined, ads prefetched (two queries a
    page however many rows)."""
    mediations = Mediation.objects.select_related(*SIDES).prefetch_related(
        Prefetch("ads", queryset=Ad.objects.only("id", "title", "kind"))
    )
    if status:
        mediations = mediations.filter(status=status)
    if active is not None:
        mediations = mediations.filter(active=active)
    if started_from:
        mediations = mediations.filter(started_on__gte=started_from)
    if started_to:
        mediations = mediations.filter(started_on__lte=started_to)
    if participant is not None:
        pk = participant if isinstance(participant, int) else participant.pk
        mediations = mediations.filter(Q(requester_id=pk) | Q(provider_id=pk))
    return mediations


def mediation_detail() -> QuerySet[Mediation]:
    """The queryset a mediation's page and endpoint fetch one from (404 when not there)."""
    return Mediation.objects.select_related(*SIDES).prefetch_related(
        Prefetch("ads", queryset=Ad.objects.select_related("participant")),
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on", "id")),
    )


# "This week" for follow-ups: the dashboard's section and the list's ?until=week.
FOLLOW_UP_HORIZON = datetime.timedelta(days=7)


def due_follow_ups(today: datetime.date) -> QuerySet[FollowUp]:
    """The broker's follow-ups not done and due on or before `today`, oldest first, with the
    mediation and both sides joined (one query)."""
    return (
        FollowUp.objects.filter(kind=FollowUp.Kind.BROKER, done_at__isnull=True, due_on__lte=today)
        .select_related(
            "mediation", "mediation__requester", "mediation__provider", "mediation__organisation"
        )
        .order_by("due_on", "id")
    )


def mediation_sides(mediation: Mediation) -> list[Participant]:
    """The people "did it work out?" asks: the requester and the provider, or for a vacancy
    the participant who placed it for the organisation."""
    other = mediation.provider
    if other is None and mediation.response is not None:
        other = mediation.response.ad.participant
    return [p for p in (mediation.requester, other) if p is not None]


def due_participant_follow_ups(today: datetime.date) -> list[int]:
    """Ids of the participants' own follow-ups ("did it work out?") due by `today`, of open
    mediations, oldest first."""
    return list(
        FollowUp.objects.filter(
            kind=FollowUp.Kind.ASK_PARTICIPANTS,
            done_at__isnull=True,
            due_on__lte=today,
            mediation__status=MediationStatus.OPEN,
        )
        .order_by("due_on", "id")
        .values_list("id", flat=True)
    )


def participant_follow_up_to_ask(follow_up_id: int) -> FollowUp | None:
    """The not-done follow-up, locked for this transaction with both sides joined; None when
    it is done or another worker holds it. Call inside a transaction."""
    return (
        FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related(
            "mediation__requester",
            "mediation__provider",
            "mediation__organisation",
            "mediation__response__ad__participant",
        )
        .filter(pk=follow_up_id, done_at__isnull=True)
        .first()
    )


def mediation_for_feedback(mediation_id: int | None) -> Mediation | None:
    """A mediation with both sides joined, as "did it work out?" needs it."""
    return (
        Mediation.objects.select_related(
            "requester", "provider", "organisation", "response__ad__participant"
        )
        .filter(pk=mediation_id)
        .first()
    )


def recorded_feedback(mediation: Mediation, participant: Participant) -> bool | None:
    """The answer `participant` gave for `mediation`, or None before they answered."""
    feedback = Feedback.objects.filter(mediation=mediation, participant=participant).first()
    return None if feedback is None else feedback.worked_out


def open_follow_ups() -> QuerySet[FollowUp]:
    """Follow-ups a broker may still tick off (the done form fetches from here)."""
    return FollowUp.objects.filter(kind=FollowUp.Kind.BROKER, done_at__isnull=True)


def open_ads_of(*, participant_ids: list[int], organisation_id: int | None = None) -> QuerySet[Ad]:
    """Published ads (and vacancies) placed by these participants or this organisation."""
    owners = Q(participant_id__in=participant_ids)
    if organisation_id is not None:
        owners |= Q(organisation_id=organisation_id)
    return (
        Ad.objects.filter(owners, status=AdStatus.PUBLISHED)
        .select_related("participant")
        .order_by("participant_id", "-published_at", "-id")
    )


def active_participants() -> QuerySet[Participant]:
    return Participant.objects.filter(erased_at__isnull=True).only("id", "display_name")


def placements_for_list(*, current_only: bool = False) -> QuerySet[Placement]:
    placements = Placement.objects.select_related("participant", "organisation", "vacancy").defer(
        "vacancy__body", "vacancy__search_vector"
    )
    if current_only:
        placements = placements.filter(ended_on__isnull=True)
    return placements


# --- match suggestions -------------------------------------------------------------------

WORD = re.compile(r"\w{4,}", re.UNICODE)
MAX_QUERY_WORDS = 30


@dataclass
class Suggestion:
    ad: Ad
    score: float
    reasons: list[str] = field(default_factory=list)
    common_words: list[str] = field(default_factory=list)

    @property
    def participant(self) -> Participant:
        return self.ad.participant


def _words(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in WORD.findall(text.lower()):
        seen.setdefault(word, None)
    return list(seen)


def _meaningful(words: list[str]) -> set[str]:
    """Which of `words` neither Dutch nor English takes for a stop word ("mijn", "with"), by
    PostgreSQL's own text search dictionaries, the ones that rank the suggestions. One query."""
    if not words:
        return set()
    conditions = " AND ".join(
        "to_tsvector(%s::regconfig, word) <> ''::tsvector" for _config in SEARCH_CONFIGS
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM unnest(%s::text[]) AS word WHERE {conditions}",  # noqa: S608
            [words, *SEARCH_CONFIGS],
        )
        return {word for (word,) in cursor.fetchall()}


def _shares_stem(word: str, others: list[str]) -> bool:
    """Roughly the same word as one of `others` ("snoeit", "snoeien"): to explain a rank
    PostgreSQL computed with real stemming, without asking it again."""
    return any(
        (word[:5] == other[:5]) if min(len(word), len(other)) >= 5 else (word == other)
        for other in others
    )


def _ad_vector() -> Coalesce:
    """The ad's stored search vector, or the same vector computed on the fly where the stored
    one is missing (Dutch and English stems; title weight A, text weight B)."""
    computed = None
    for config in SEARCH_CONFIGS:
        for column, weight in (("title", "A"), ("body", "B")):
            part = SearchVector(column, config=config, weight=weight)
            computed = part if computed is None else computed + part
    return Coalesce(F("search_vector"), computed, output_field=SearchVectorField())


def _text_query(words: list[str]) -> SearchQuery | None:
    """Any of `words`, stemmed the Dutch or the English way."""
    query = None
    for word in words[:MAX_QUERY_WORDS]:
        for config in SEARCH_CONFIGS:
            part = SearchQuery(word, config=config, search_type="plain")
            query = part if query is None else query | part
    return query


def match_suggestions(*, ad: Ad, limit: int = 20) -> list[Suggestion]:
    """Published ads of the other kind (offers for a request, requests for an offer) that fit
    `ad` best: same category, same sub-area, words in common (PostgreSQL full-text rank),
    best first. Leaves out the asker's own ads and erased participants. Stop words of either
    language count for nothing ("mijn" is no reason). Three queries."""
    other_kind = AdKind.OFFER if ad.kind == AdKind.REQUEST else AdKind.REQUEST
    said = _words(f"{ad.title} {ad.body}")
    meaningful = _meaningful(said)
    words = [word for word in said if word in meaningful]
    query = _text_query(words)
    rank = SearchRank(_ad_vector(), query) if query is not None else Value(0.0)
    same_category = Case(When(category_id=ad.category_id, then=Value(1.0)), default=Value(0.0))
    same_sub_area = (
        Case(When(sub_area_id=ad.sub_area_id, then=Value(0.5)), default=Value(0.0))
        if ad.sub_area_id is not None
        else Value(0.0)
    )
    candidates = (
        Ad.objects.filter(kind=other_kind, status=AdStatus.PUBLISHED)
        .exclude(participant_id=ad.participant_id)
        .exclude(participant__erased_at__isnull=False)
        .select_related("participant", "category", "sub_area")
        .annotate(
            text_rank=Coalesce(rank, Value(0.0), output_field=FloatField()),
            fit=same_category + same_sub_area,
        )
        .annotate(score=F("fit") + F("text_rank") * 2)
        .filter(Q(fit__gt=0) | Q(text_rank__gt=0))
        .order_by("-score", "-published_at", "-id")[:limit]
    )
    asked = words
    candidates = list(candidates)
    meaningful = _meaningful(sorted({w for c in candidates for w in _words(f"{c.title} {c.body}")}))
    suggestions = []
    for candidate in candidates:
        reasons = []
        if candidate.category_id == ad.category_id:
            reasons.append(_("same category"))
        if ad.sub_area_id is not None and candidate.sub_area_id == ad.sub_area_id:
            reasons.append(_("same sub-area"))
        common = [
            w
            for w in _words(f"{candidate.title} {candidate.body}")
            if w in meaningful and _shares_stem(w, asked)
        ]
        if candidate.text_rank > 0:
            reasons.append(_("words in common"))
        suggestions.append(
            Suggestion(
                ad=candidate,
                score=round(candidate.score, 3),
                reasons=reasons,
                common_words=common[:6] if candidate.text_rank > 0 else [],
            )
        )
    return suggestions


def best_participants(suggestions: list[Suggestion]) -> list[Suggestion]:
    """The best suggestion of each participant, in the order of the suggestions."""
    seen: set[int] = set()
    best = []
    for suggestion in suggestions:
        if suggestion.ad.participant_id not in seen:
            seen.add(suggestion.ad.participant_id)
            best.append(suggestion)
    return best


# --- the morning digest ------------------------------------------------------------------

DIGEST_LIST_LENGTH = 10


@dataclass
class DigestFigures:
    follow_ups_due: int
    follow_ups: list[FollowUp]
    ads_awaiting_approval: int
    reports_open: int
    held_messages: int
    broker_emails: list[str]

    @property
    def anything_due(self) -> bool:
        return bool(
            self.follow_ups_due
            or self.ads_awaiting_approval
            or self.reports_open
            or self.held_messages
        )


def digest_figures(*, today: datetime.date) -> DigestFigures:
    """What the morning digest reports, in a fixed number of queries (six)."""
    due = due_follow_ups(today)
    follow_ups_due = due.count()
    figures = DigestFigures(
        follow_ups_due=follow_ups_due,
        follow_ups=list(due[:DIGEST_LIST_LENGTH]) if follow_ups_due else [],
        ads_awaiting_approval=Ad.objects.filter(status=AdStatus.AWAITING_APPROVAL).count(),
        reports_open=Report.objects.filter(handled_at__isnull=True).count(),
        held_messages=HeldMessage.objects.filter(handled_at__isnull=True).count(),
        broker_emails=[],
    )
    if figures.anything_due:
        figures.broker_emails = list(
            User.objects.filter(role=Role.BROKER, is_active=True)
            .order_by("id")
            .values_list("email", flat=True)
        )
    return figures


DIGEST_PURPOSE = "broker_digest"


def digested_on(*, day: datetime.date, emails: list[str]) -> set[str]:
    """Which of `emails` already got the morning digest on `day` (one query): a retried
    task must not mail them twice."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return set(
        OutboxMessage.objects.filter(
            purpose=DIGEST_PURPOSE,
            to__in=emails,
            created_at__gte=start,
            created_at__lt=start + datetime.timedelta(days=1),
        ).values_list("to", flat=True)
    )


def placements_at(organisation: Organisation) -> QuerySet[Placement]:
    """Who found a volunteer place at an organisation, newest first, for its page."""
    return (
        Placement.objects.filter(organisation=organisation)
        .select_related("participant", "vacancy")
        .order_by("-started_on", "-id")
    )


def organisation_placements(organisation: Organisation) -> dict[str, Any]:
    """The placements on an organisation's page (declared as its `organisation_page`)."""
    return {"placements": placements_at(organisation)}
