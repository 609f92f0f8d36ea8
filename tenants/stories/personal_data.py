"""A participant's story consents in their export, timeline and erasure. Erasing someone
withdraws their consents, so every story that names them is unpublished."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.people.models import Participant
from tenants.people.timeline import Found, TimelineEntry, TimelineSource
from tijdvoorelkaar.combined_reads import Rows
from tijdvoorelkaar.reversed_urls import link

from .models import Story, StoryConsent


def _consents(participant: Participant) -> list[StoryConsent]:
    return list(
        StoryConsent.objects.filter(participant=participant)
        .select_related("story")
        .only("given_at", "withdrawn_at", "story__id", "story__title")
    )


def export_for(participant: Participant) -> dict[str, Any]:
    return {
        "story_consents": [
            {
                "story": consent.story.title,
                "given_at": consent.given_at.isoformat(),
                "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent in _consents(participant)
        ]
    }


def _timeline_reads(participant: Participant) -> dict[str, Rows]:
    consents = StoryConsent.objects.filter(participant=participant)
    return {
        "consents": Rows(
            consents.values("given_at", "withdrawn_at", "story_id", title=F("story__title"))
        )
    }


def _timeline_entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    entries = []
    for consent in found["consents"]:
        url = link("stories:detail", consent["story_id"])
        title = {"story": consent["title"]}
        entries.append(
            TimelineEntry(
                at=consent["given_at"],
                kind="story_consent",
                title=_("Agreed to the story “%(story)s”") % title,
                url=url,
            )
        )
        if consent["withdrawn_at"]:
            entries.append(
                TimelineEntry(
                    at=consent["withdrawn_at"],
                    kind="story_consent",
                    title=_("Withdrew consent to the story “%(story)s”") % title,
                    url=url,
                )
            )
    return entries


TIMELINE = TimelineSource(reads=_timeline_reads, entries=_timeline_entries)


def erase(participant: Participant, erased_by: Any) -> dict[str, int]:
    """Withdraw their standing consents and unpublish every story that names them."""
    now = timezone.now()
    withdrawn = StoryConsent.objects.filter(
        participant=participant, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    naming = Story.objects.filter(published_at__isnull=False).filter(
        Q(mediation__requester=participant) | Q(mediation__provider=participant)
    )
    ids = list(naming.values_list("pk", flat=True))
    Story.objects.filter(pk__in=ids).update(published_at=None, updated_at=now)
    for pk in ids:
        record_audit_event(
            actor=erased_by,
            action="story.unpublished",
            target=Story(pk=pk),
            detail={"why": "participant_erased"},
        )
    return {"story_consents_withdrawn": withdrawn, "stories_unpublished": len(ids)}
