"""Mediations on a participant's timeline: those where they ask or give. One query."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.timeline import TimelineEntry

from .models import Mediation


def _moment(mediation: Mediation) -> datetime.datetime:
    """When it was recorded, if that was the day it started; else noon of the start day (a
    mediation entered afterwards still sorts on the day it began)."""
    if timezone.localdate(mediation.created_at) == mediation.started_on:
        return mediation.created_at
    return timezone.make_aware(datetime.datetime.combine(mediation.started_on, datetime.time(12)))


def entries_for(participant: Participant) -> list[TimelineEntry]:
    entries = []
    mediations = Mediation.objects.filter(
        Q(requester=participant) | Q(provider=participant)
    ).select_related("requester", "provider", "organisation")
    for mediation in mediations:
        if mediation.requester_id == participant.pk:
            other = mediation.provider or mediation.organisation
            title = _("Mediation: asks %(other)s") % {"other": other}
        else:
            title = _("Mediation: gives to %(other)s") % {"other": mediation.requester}
        kind = _("active") if mediation.active else _("found each other")
        entries.append(
            TimelineEntry(
                at=_moment(mediation),
                kind="mediation",
                title=title,
                url=f"/broker/mediations/{mediation.pk}/",
                detail=f"{mediation.get_status_display()} ({kind})",
            )
        )
    return entries
