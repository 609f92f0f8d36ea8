"""Responding's entries on a participant's timeline: the responses they sent."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from tenants.market.models import Response
from tenants.people.models import Participant
from tenants.people.timeline import Found, TimelineEntry, TimelineSource
from tijdvoorelkaar.combined_reads import Rows


def _reads(participant: Participant) -> dict[str, Rows]:
    responses = Response.objects.filter(responder=participant)
    return {"responses": Rows(responses.values("created_at", title=F("ad__title")))}


def _entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            at=response["created_at"],
            kind="response",
            title=_("Responded to: %(title)s") % {"title": response["title"] or "—"},
        )
        for response in found["responses"]
    ]


TIMELINE = TimelineSource(reads=_reads, entries=_entries)
