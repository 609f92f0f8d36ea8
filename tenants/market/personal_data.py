"""The marketplace's part of a participant's data (declared in `contributions.py`): their ads
and the responses they sent, in the export; on erasure their open ads closed and every ad and
response blanked."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tenants.people.models import Participant
from tenants.people.services.privacy import as_iso

from .cache import bump_list_version
from .models import Ad, Response
from .services.ads import OPEN_STATUSES, close_ad


def export_personal_data(participant: Participant) -> dict[str, Any]:
    """Their ads and the responses they sent."""
    ads = Ad.objects.filter(participant=participant).select_related("category")
    responses = Response.objects.filter(responder=participant)
    return {
        "ads": [
            {
                "id": ad.pk,
                "kind": ad.kind,
                "title": ad.title,
                "text": ad.body,
                "when": ad.when,
                "category": ad.category.name,
                "status": ad.status,
                "created_at": as_iso(ad.created_at),
                "published_at": as_iso(ad.published_at),
                "closed_at": as_iso(ad.closed_at),
            }
            for ad in ads.order_by("created_at", "id")
        ],
        "responses": [
            {
                "id": response.pk,
                "ad": response.ad_id,
                "message": response.message,
                "created_at": as_iso(response.created_at),
            }
            for response in responses.order_by("created_at", "id")
        ],
    }


def erase_personal_data(participant: Participant, erased_by: Any) -> dict[str, int]:
    """Their open ads closed (as if they closed them), every ad and response blanked."""
    ads = Ad.objects.filter(participant=participant)
    open_ads = list(ads.filter(status__in=OPEN_STATUSES))
    for ad in open_ads:  # through the marketplace's own service, as if the owner closed them
        close_ad(ad=ad, by=erased_by)
    for ad in ads.exclude(photo=""):
        ad.photo.delete(save=False)
    counts = {
        "ads_closed": len(open_ads),
        "ads": ads.update(
            title="", body="", when="", photo="", search_vector=None, updated_at=timezone.now()
        ),
        "responses": Response.objects.filter(responder=participant).update(message=""),
    }
    bump_list_version()  # the cached lists showed their ads
    return counts
