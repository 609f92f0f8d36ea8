"""Responding's entries on a participant's timeline: the responses they sent. One query,
however many there are."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenants.market.models import Response
from tenants.people.models import Participant
from tenants.people.timeline import TimelineEntry


def entries_for(participant: Participant) -> list[TimelineEntry]:
    entries = []
    for response in (
        Response.objects.filter(responder=participant)
        .select_related("ad")
        .only("id", "created_at", "ad__id", "ad__title")
    ):
        entries.append(
            TimelineEntry(
                at=response.created_at,
                kind="response",
                title=_("Responded to: %(title)s") % {"title": response.ad.title or "—"},
            )
        )
    return entries
