"""Referrals and group visits on a participant's timeline (two queries, whatever the number)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.timeline import TimelineEntry, at_noon

from .models import Direction, GroupVisit, Referral


def entries_for(participant: Participant) -> list[TimelineEntry]:
    entries = []
    for referral in Referral.objects.filter(participant=participant):
        if referral.direction == Direction.IN:
            title = _("Referred in by %(institution)s") % {"institution": referral.institution}
        else:
            title = _("Referred on to %(service)s") % {
                "service": referral.service_name or referral.get_service_display()
            }
        entries.append(
            TimelineEntry(
                at=at_noon(referral.referred_on),
                kind="referral",
                title=title,
                url=reverse("referrals:detail", args=[referral.pk]),
            )
        )
    visits = GroupVisit.objects.filter(joined=participant).select_related("organisation")
    for visit in visits:
        entries.append(
            TimelineEntry(
                at=at_noon(visit.visited_on),
                kind="group_visit",
                title=_("Joined at a group visit: %(group)s") % {"group": visit.group_label},
                url=reverse("referrals:group-visit", args=[visit.pk]),
            )
        )
    return entries
