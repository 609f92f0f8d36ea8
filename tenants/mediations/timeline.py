"""A participant's mediations and placements on their timeline."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext_noop

from tenants.people.models import Participant
from tenants.people.timeline import Found, TimelineEntry, TimelineSource, at_end_of_day
from tijdvoorelkaar.combined_reads import Rows
from tijdvoorelkaar.words import Words, in_active_language

from .models import Mediation, MediationStatus, Placement


def _reads(participant: Participant) -> dict[str, Rows]:
    mediations = Mediation.objects.filter(Q(requester=participant) | Q(provider=participant))
    placements = Placement.objects.filter(participant=participant)
    return {
        "mediations": Rows(
            mediations.values(
                "pk",
                "requester_id",
                "provider_id",
                "organisation_id",
                "started_on",
                "status",
                requester_name=F("requester__display_name"),
                provider_name=F("provider__display_name"),
                organisation_name=F("organisation__name"),
            )
        ),
        "placements": Rows(
            placements.values("started_on", organisation_name=F("organisation__name"))
        ),
    }


def _other_side(mediation: dict[str, Any], participant: Participant) -> Any:
    """Who the participant was matched with: the provider or organisation when they asked,
    else the one who asked."""
    if mediation["requester_id"] != participant.pk:
        return mediation["requester_name"]
    if mediation["provider_id"] is not None:
        return mediation["provider_name"]
    return mediation["organisation_name"] if mediation["organisation_id"] is not None else None


_WORDS = Words(
    {
        "mediation": gettext_noop("Mediation with %(name)s"),
        "placement": gettext_noop("Volunteer place at %(name)s"),
    }
)
_STATUSES = Words.of_choices(MediationStatus)


def _entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    words, statuses = in_active_language(_WORDS, _STATUSES)
    entries = [
        TimelineEntry(
            at=at_end_of_day(mediation["started_on"]),
            kind="mediation",
            title=words["mediation"] % {"name": _other_side(mediation, participant)},
            url=f"/broker/mediations/{mediation['pk']}/",
            detail=str(statuses.get(mediation["status"], mediation["status"])),
        )
        for mediation in found["mediations"]
    ]
    for placement in found["placements"]:
        entries.append(
            TimelineEntry(
                at=at_end_of_day(placement["started_on"]),
                kind="placement",
                title=words["placement"] % {"name": placement["organisation_name"]},
                url="/broker/mediations/placements/",
            )
        )
    return entries


TIMELINE = TimelineSource(reads=_reads, entries=_entries)
