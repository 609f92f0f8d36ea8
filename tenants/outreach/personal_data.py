"""A participant's digest choice in their export; erasing them deletes it (the participant's
row stays, anonymised, so no cascade would)."""

from __future__ import annotations

from typing import Any

from tenants.people.models import Participant

from .models import DigestPreference


def export_for(participant: Participant) -> dict[str, Any]:
    preference = (
        DigestPreference.objects.filter(participant=participant)
        .prefetch_related("sub_areas", "categories")
        .first()
    )
    if preference is None:
        return {}
    return {
        "digest": {
            "frequency": preference.frequency,
            "sub_areas": [area.name for area in preference.sub_areas.all()],
            "categories": [category.name for category in preference.categories.all()],
        }
    }


def erase(participant: Participant, erased_by: Any) -> dict[str, int]:
    deleted, _rows = DigestPreference.objects.filter(participant=participant).delete()
    return {"digest_preferences_deleted": deleted}
