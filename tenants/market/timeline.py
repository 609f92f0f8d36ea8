"""The marketplace's entries on a participant's timeline: ads they placed (or the broker placed
for them). One query, however many there are."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.timeline import TimelineEntry

from .models import Ad


def entries_for(participant: Participant) -> list[TimelineEntry]:
    entries = []
    for ad in Ad.objects.filter(participant=participant).only(
        "id", "kind", "title", "status", "created_at", "placed_by_broker_id"
    ):
        title = (
            _("%(kind)s placed by the broker: %(title)s")
            if ad.placed_by_broker_id
            else _("%(kind)s placed: %(title)s")
        )
        entries.append(
            TimelineEntry(
                at=ad.created_at,
                kind="ad",
                title=title % {"kind": ad.get_kind_display(), "title": ad.title or "—"},
                url=f"/broker/ads/{ad.pk}/edit/" if not participant.erased_at else "",
                detail=ad.get_status_display(),
            )
        )
    return entries
