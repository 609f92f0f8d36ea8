"""Referrals and group visits on a participant's timeline."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext_noop

from tenants.people.models import Participant
from tenants.people.timeline import Found, TimelineEntry, TimelineSource, at_end_of_day
from tijdvoorelkaar.combined_reads import Rows
from tijdvoorelkaar.reversed_urls import link
from tijdvoorelkaar.words import Words, in_active_language

from .models import Direction, GroupVisit, Referral, Service


def _reads(participant: Participant) -> dict[str, Rows]:
    referrals = Referral.objects.filter(participant=participant)
    columns = ("pk", "direction", "institution", "service", "service_name", "referred_on")
    visits = GroupVisit.objects.filter(joined=participant)
    return {
        "referrals": Rows(referrals.values(*columns)),
        "visits": Rows(
            visits.values(
                "pk",
                "visited_on",
                "group_name",
                "organisation_id",
                organisation_name=F("organisation__name"),
            )
        ),
    }


def _group_label(visit: dict[str, Any]) -> str:
    """As `GroupVisit.group_label`: the group, with its organisation when it has both."""
    organisation = visit["organisation_name"] if visit["organisation_id"] else None
    if visit["organisation_id"] and visit["group_name"]:
        return f"{visit['group_name']} ({organisation})"
    return visit["group_name"] or str(organisation)


_WORDS = Words(
    {
        "in": gettext_noop("Referred in by %(institution)s"),
        "out": gettext_noop("Referred on to %(service)s"),
        "visit": gettext_noop("Joined at a group visit: %(group)s"),
    }
)
_SERVICES = Words.of_choices(Service)


def _entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    words, services = in_active_language(_WORDS, _SERVICES)
    entries = []
    for referral in found["referrals"]:
        if referral["direction"] == Direction.IN:
            title = words["in"] % {"institution": referral["institution"]}
        else:
            service = referral["service_name"] or services.get(
                referral["service"], referral["service"]
            )
            title = words["out"] % {"service": service}
        entries.append(
            TimelineEntry(
                at=at_end_of_day(referral["referred_on"]),
                kind="referral",
                title=title,
                url=link("referrals:detail", referral["pk"]),
            )
        )
    for visit in found["visits"]:
        entries.append(
            TimelineEntry(
                at=at_end_of_day(visit["visited_on"]),
                kind="group_visit",
                title=words["visit"] % {"group": _group_label(visit)},
                url=link("referrals:group-visit", visit["pk"]),
            )
        )
    return entries


TIMELINE = TimelineSource(reads=_reads, entries=_entries)
