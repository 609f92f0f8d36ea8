"""Reads of stories: what the public sees (published only), the broker's list, and who a
story names with their consent. Each read is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from tenants.mediations.models import Mediation, MediationStatus
from tenants.people.models import Participant

from .models import Story, StoryConsent

PUBLIC_FIELDS = ("id", "title", "text", "photo", "photo_description", "published_at")


def published_stories() -> QuerySet[Story]:
    """Stories anyone may read, newest first; only what a reader sees is loaded."""
    return (
        Story.objects.filter(published_at__isnull=False)
        .only(*PUBLIC_FIELDS)
        .order_by("-published_at", "-id")
    )


def newest_stories(*, count: int = 2) -> list[Story]:
    return list(published_stories()[:count])


def published_story(pk: object) -> Story | None:
    if not str(pk).isdecimal():
        return None
    return published_stories().filter(pk=int(str(pk))).first()


def all_stories() -> QuerySet[Story]:
    """Every story, for the broker: with its match's two sides and how many consents stand."""
    return (
        Story.objects.select_related(
            "mediation__requester", "mediation__provider", "mediation__organisation"
        )
        .annotate(
            standing_consents=Count("consents", filter=Q(consents__withdrawn_at__isnull=True))
        )
        .order_by("-created_at", "-id")
    )


def matched_mediations() -> QuerySet[Mediation]:
    """The mediations a story may tell: those that ended in a match."""
    return (
        Mediation.objects.filter(status=MediationStatus.MATCH)
        .select_related("requester", "provider", "organisation")
        .order_by("-ended_on", "-id")
    )


def named_people(mediation: Mediation) -> list[Participant]:
    """The people a story of this mediation names: both sides, when a person."""
    return [p for p in (mediation.requester, mediation.provider) if p is not None]


@dataclass(frozen=True)
class NamedPerson:
    participant: Participant
    consent: StoryConsent | None  # the standing one, if any


def people_with_consent(story: Story) -> list[NamedPerson]:
    """Each person the story names, with their standing consent (one query for consents)."""
    standing = {
        consent.participant_id: consent
        for consent in story.consents.filter(withdrawn_at__isnull=True)
    }
    return [NamedPerson(p, standing.get(p.pk)) for p in named_people(story.mediation)]


def stories_naming(participant: Participant) -> QuerySet[Story]:
    return Story.objects.filter(
        Q(mediation__requester=participant) | Q(mediation__provider=participant)
    ).prefetch_related(Prefetch("consents", queryset=StoryConsent.objects.all()))
