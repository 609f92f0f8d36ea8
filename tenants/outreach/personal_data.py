"""A participant's digest choice in their export; erasing them deletes it (the participant's
row stays, anonymised, so no cascade would)."""

from __future__ import annotations

from typing import Any

from tenants.market.models import Category
from tenants.people.models import Participant, SubArea

from .models import DigestPreference


def export_for(participant: Participant) -> dict[str, Any]:
    preference = DigestPreference.objects.filter(participant=participant).first()
    if preference is None:
        return {}
    # by name, in the lists' order; an id whose sub-area or category is gone names nothing
    areas = SubArea.objects.filter(pk__in=preference.sub_area_ids)
    categories = Category.objects.filter(pk__in=preference.category_ids)
    return {
        "digest": {
            "frequency": preference.frequency,
            "sub_areas": [area.name for area in areas],
            "categories": [category.name for category in categories],
        }
    }


def erase(participant: Participant, erased_by: Any) -> dict[str, int]:
    deleted, _rows = DigestPreference.objects.filter(participant=participant).delete()
    return {"digest_preferences_deleted": deleted}
