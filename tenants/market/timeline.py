"""The marketplace's entries on a participant's timeline: ads they placed (or the broker placed
for them)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.timeline import Found, TimelineEntry, TimelineSource
from tijdvoorelkaar.combined_reads import Rows

from .models import Ad, AdKind, AdStatus


def _reads(participant: Participant) -> dict[str, Rows]:
    ads = Ad.objects.filter(participant=participant)
    columns = ("pk", "kind", "title", "status", "created_at", "placed_by_broker_id")
    return {"ads": Rows(ads.values(*columns))}


def _entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    kinds, statuses = dict(AdKind.choices), dict(AdStatus.choices)
    entries = []
    for ad in found["ads"]:
        title = (
            _("%(kind)s placed by the broker: %(title)s")
            if ad["placed_by_broker_id"]
            else _("%(kind)s placed: %(title)s")
        )
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
