"""What mediations contributes to the apps below it (registered in `MediationsConfig.ready()`).

To a participant's data (people): the mediations they took part in, in the export (erasure
keeps them as they are: they name the participant only by id, and the statistics count
them). To an organisation (organisations): its volunteer placements on its page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tenants.organisations.contributions import OrganisationPart
from tenants.people.models import Participant
from tenants.people.personal_data import PersonalDataPart, as_iso

from .models import Mediation
from .selectors import placements_at


def export_personal_data(participant: Participant) -> dict[str, Any]:
    mediations = (
        Mediation.objects.filter(Q(requester=participant) | Q(provider=participant))
        .prefetch_related("ads")
        .order_by("started_on", "id")
    )
    return {
        "mediations": [
            {
                "id": mediation.pk,
                "role": "requester" if mediation.requester_id == participant.pk else "provider",
                "status": mediation.status,
                "active": mediation.active,
                "started_on": as_iso(mediation.started_on),
                "ended_on": as_iso(mediation.ended_on),
                "ads": [ad.pk for ad in mediation.ads.all()],
            }
            for mediation in mediations
        ]
    }


PERSONAL_DATA = PersonalDataPart(export=export_personal_data)
ORGANISATION = OrganisationPart(
    page=lambda organisation: {"placements": placements_at(organisation)}
)
