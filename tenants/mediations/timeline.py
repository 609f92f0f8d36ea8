"""A participant's mediations and placements on their timeline (two queries)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.timeline import TimelineEntry, at_noon

from .models import Mediation, Placement


def entries_for(participant: Participant) -> list[TimelineEntry]:
    entries = []
    mediations = Mediation.objects.filter(
        Q(requester=participant) | Q(provider=participant)
    ).select_related("requester", "provider", "organisation")
    for mediation in mediations:
        if mediation.requester_id == participant.pk:
            other = mediation.provider or mediation.organisation
        else:
            other = mediation.requester
        entries.append(
            TimelineEntry(
                at=at_noon(mediation.started_on),
                kind="mediation",
                title=_("Mediation with %(name)s") % {"name": other},
                url=f"/broker/mediations/{mediation.pk}/",
                detail=mediation.get_status_display(),
            )
        )
    for placement in Placement.objects.filter(participant=participant).select_related(
        "organisation"
    ):
        entries.append(
            TimelineEntry(
                at=at_noon(placement.started_on),
                kind="placement",
                title=_("Volunteer place at %(name)s") % {"name": placement.organisation.name},
                url="/broker/mediations/placements/",
            )
        )
    return entries
