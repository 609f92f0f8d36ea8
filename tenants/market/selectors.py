"""Reads of the marketplace: the public list and search, one ad, a participant's own ads,
and the reciprocity figures. Every list keeps a constant number of queries."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Min, Q, QuerySet

from tenants.organisations.models import Organisation
from tenants.people.models import Participant, SubArea
from tijdvoorelkaar.combined_reads import ANY_ID, Rows, Statement, prepare

from .cards import OWN_AD_VALUES
from .models import LIVE, Ad, AdKind, AdStatus, Category, ReciprocityPrompt

LIST_RELATED = ("category", "sub_area", "participant", "organisation")


def public_ads() -> QuerySet[Ad]:
    """Published ads with what a list shows, newest first."""
    return (
        Ad.objects.filter(LIVE, participant__erased_at__isnull=True)
        .select_related(*LIST_RELATED)
        .defer("search_vector", "participant__introduction")
        .order_by("-published_at", "-id")
    )


def first_live_end() -> datetime.datetime | None:
    """When the first ad on the site reaches its end (None: none has an end)."""
    return Ad.objects.filter(LIVE).aggregate(end=Min("expires_at"))["end"]


def newest_ads() -> QuerySet[Ad]:
    """Published requests and offers (no vacancies), newest first, for the home page."""
    return public_ads().filter(kind__in=[AdKind.REQUEST, AdKind.OFFER])


def search_query(text: str) -> Any:
    """Dutch OR English: a word matches in whichever language stems it. Also every word as a
    prefix, so that "tuin" finds the Dutch compound "tuinonderhoud"."""
    query = SearchQuery(text, config="dutch", search_type="websearch") | SearchQuery(
        text, config="english", search_type="websearch"
    )
    prefixes = search_prefixes(text)
    if prefixes:
        query |= SearchQuery(prefixes, config="simple", search_type="raw")
    return query


def search_prefixes(text: str) -> str:
    """Every word of `text` as a prefix (`tuin:* & hulp:*`), "" when it has no words."""
    words = re.findall(r"\w+", text.lower())[:8]  # \w has no tsquery operators in it
    return " & ".join(f"{word}:*" for word in words)


def search_ads(
    *,
    text: str = "",
    kind: str = "",
    category: Category | None = None,
    sub_area: Any = None,
) -> QuerySet[Ad]:
    """The public list filtered; with `text`, the best matches first (ts_rank)."""
    ads = public_ads()
    if kind:
        ads = ads.filter(kind=kind)
    if category is not None:
        ads = ads.filter(category=category)
    if sub_area is not None:
        ads = ads.filter(sub_area=sub_area)
    text = text.strip()
    if text:
        query = search_query(text)
        ads = (
            ads.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )
    return ads


def ad_for_visitor(*, pk: int, participant: Participant | None) -> Ad | None:
    """A published ad, or the visitor's own ad in any status; None otherwise (a 404)."""
    visible = LIVE & Q(participant__erased_at__isnull=True)
    if participant is not None:
        visible |= Q(participant=participant)
    return Ad.objects.select_related(*LIST_RELATED).filter(visible, pk=pk).first()


def own_ads(*, participant: Participant) -> QuerySet[Ad]:
    return (
        Ad.objects.filter(participant=participant)
        .select_related("category", "sub_area", "organisation")
        .defer("search_vector")
        .order_by("-created_at", "-id")
    )


def own_ads_page(*, participant_id: int, organisations: bool) -> dict[str, Any] | None:
    """What `/ads/mine/` shows, in one statement compiled once per process: the participant
    (`pk`, `display_name`; None when they are not there or erased, as `current_participant`
    answers), their ads (`OWN_AD_VALUES`, as `own_ads` orders them) and, with
    `organisations`, the organisations they are a member of (`pk`, `name`)."""
    found = _own_ads_statement(organisations).run(replacing={ANY_ID: int(participant_id)})
    if not found["participant"]:
        return None
    return {
        "participant": found["participant"][0],
        "ads": found["ads"],
        "organisations": found.get("organisations", []),
    }


@functools.cache
def _own_ads_statement(organisations: bool) -> Statement:
    reads: dict[str, Rows] = {
        "participant": Rows(
            Participant.objects.filter(pk=ANY_ID, erased_at__isnull=True).values(
                "pk", "display_name"
            )
        ),
        "ads": Rows(own_ads(participant=Participant(pk=ANY_ID)).values(*OWN_AD_VALUES)),
    }
    if organisations:
        reads["organisations"] = Rows(
            Organisation.objects.filter(members=ANY_ID).order_by("name", "pk").values("pk", "name")
        )
    return prepare(**reads)


def own_ad(*, participant: Participant, pk: int) -> Ad | None:
    return own_ads(participant=participant).filter(pk=pk).first()


def public_person(*, pk: int, viewer: Participant | None) -> Participant | None:
    """A participant's public face: not erased, and with at least one published ad (or the
    visitor themselves). Only public fields are loaded."""
    person = (
        Participant.objects.filter(pk=pk, erased_at__isnull=True)
        .select_related("sub_area")
        .only("id", "display_name", "introduction", "sub_area__name", "sub_area__position")
        .annotate(
            published=Count("ads", filter=Q(ads__status=AdStatus.PUBLISHED)),
        )
        .first()
    )
    if person is None:
        return None
    if person.published == 0 and (viewer is None or viewer.pk != person.pk):
        return None
    return person


def person_ads(*, participant: Participant) -> QuerySet[Ad]:
    return public_ads().filter(participant=participant)


@dataclass(frozen=True)
class ReciprocityFigures:
    shown: int
    taken: int


def reciprocity_figures(*, since: Any = None, until: Any = None) -> ReciprocityFigures:
    """How often "and do you also have a request?" was shown, and how often it was taken."""
    prompts = ReciprocityPrompt.objects.all()
    if since is not None:
        prompts = prompts.filter(shown_at__gte=since)
    if until is not None:
        prompts = prompts.filter(shown_at__lt=until)
    figures = prompts.aggregate(
        shown=Count("id"), taken=Count("id", filter=Q(taken_ad__isnull=False))
    )
    return ReciprocityFigures(shown=figures["shown"], taken=figures["taken"])


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("position", "name")


def filter_options() -> tuple[list[Category], list[SubArea]]:
    """What the list's filters offer: the active categories and every sub-area, in order."""
    return list(active_categories()), list(SubArea.objects.order_by("position", "name"))


def vacancies_of(organisation: Organisation) -> QuerySet[Ad]:
    """An organisation's vacancies, newest first, for its page."""
    return (
        Ad.objects.filter(kind=AdKind.VACANCY, organisation=organisation)
        .select_related("category")
        .order_by("-created_at")
    )


def organisation_vacancies(organisation: Organisation) -> dict[str, Any]:
    """The vacancies on an organisation's page (declared as its `organisation_page`)."""
    return {"vacancies": vacancies_of(organisation)}


def organisation_vacancy_count() -> dict[str, Any]:
    """Each organisation's number of vacancies, for the list (`organisation_counts`)."""
    return {
        "vacancy_count": Count("vacancies", filter=Q(vacancies__kind=AdKind.VACANCY), distinct=True)
    }
