"""Mediations' part of a participant's data (declared in `contributions.py`): the mediations
they took part in, in the export. Erasure keeps them as they are: they name the participant
only by id, and the statistics count them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tenants.people.models import Participant
from tenants.people.services.privacy import as_iso

from .models import Mediation


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
