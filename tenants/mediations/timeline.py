"""Mediations on a participant's timeline: those where they ask or give. One query."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.timeline import TimelineEntry

from .models import Mediation


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


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
                at=_start_of(mediation.started_on),
                kind="mediation",
                title=title,
                url=f"/broker/mediations/{mediation.pk}/",
                detail=f"{mediation.get_status_display()} ({kind})",
            )
        )
    return entries
