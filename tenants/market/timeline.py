"""The marketplace's entries on a participant's timeline: ads they placed (or the broker placed
for them)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from tenants.people.models import Participant
from tenants.people.timeline import Found, TimelineEntry, TimelineSource
from tijdvoorelkaar.combined_reads import Rows
from tijdvoorelkaar.words import Words, in_active_language

from .models import Ad, AdKind, AdStatus


def _reads(participant: Participant) -> dict[str, Rows]:
    ads = Ad.objects.filter(participant=participant)
    columns = ("pk", "kind", "title", "status", "created_at", "placed_by_broker_id")
    return {"ads": Rows(ads.values(*columns))}


_WORDS = Words(
    {
        "by_broker": gettext_noop("%(kind)s placed by the broker: %(title)s"),
        "placed": gettext_noop("%(kind)s placed: %(title)s"),
    }
)
_KINDS, _STATUSES = Words.of_choices(AdKind), Words.of_choices(AdStatus)


def _entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    words, kinds, statuses = in_active_language(_WORDS, _KINDS, _STATUSES)
    entries = []
    for ad in found["ads"]:
        title = words["by_broker"] if ad["placed_by_broker_id"] else words["placed"]
        entries.append(
            TimelineEntry(
                at=ad["created_at"],
                kind="ad",
                title=title
                % {"kind": kinds.get(ad["kind"], ad["kind"]), "title": ad["title"] or "—"},
                url=f"/broker/ads/{ad['pk']}/edit/" if not participant.erased_at else "",
                detail=str(statuses.get(ad["status"], ad["status"])),
            )
        )
    return entries


TIMELINE = TimelineSource(reads=_reads, entries=_entries)
