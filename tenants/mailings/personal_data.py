"""The newsletter's part of a participant's data export and erasure (people's hooks)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tenants.people.models import Participant

from .models import Subscriber


def _theirs(participant: Participant) -> QuerySet[Subscriber]:
    match = Q(participant=participant)
    if participant.email:
        match |= Q(email__iexact=participant.email)
    return Subscriber.objects.filter(match)


def export_personal_data(participant: Participant) -> dict[str, Any]:
    """Their newsletter subscription, if any."""
    return {
        "newsletter": [
            {
                "email": subscriber.email,
                "status": subscriber.status,
                "source": subscriber.source,
                "since": subscriber.created_at.isoformat(),
            }
            for subscriber in _theirs(participant)
        ]
    }


def erase_personal_data(participant: Participant, erased_by: Any) -> dict[str, int]:
    """Their subscription removed (the address goes with it)."""
    deleted, _by_model = _theirs(participant).delete()
    return {"newsletter_subscriptions": deleted}
