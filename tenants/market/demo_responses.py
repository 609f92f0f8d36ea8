"""Demo responses: a few Dutch responses to the demo's published ads.

Called by the market app's demo (`tenants/market/demo.py`), as its last step: it calls
`add_demo_responses(neighbourhood)` after placing its ads. Tolerates a neighbourhood without
published ads (adds nothing)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import Ad, AdStatus
from .services.responses import respond_to_ad

RESPONDERS = [
    (
        "Fatima",
        "fatima.demo@example.org",
        "Hallo! Ik woon twee straten verderop en heb woensdagmiddag tijd. Zal ik even bellen?",
    ),
    (
        "Henk",
        "henk.demo@example.org",
        "Dit lijkt me echt iets voor mij. Ik heb er ervaring mee en help graag een handje.",
    ),
    (
        "Sanne",
        "",  # only a phone number: the owner's reply reaches her through the broker
        "Goedemiddag, ik heb geen e-mail maar wel tijd op zaterdag. Groet, Sanne",
    ),
]
PHONES = {"Sanne": "06 2345 6789"}


def add_demo_responses(neighbourhood: Neighbourhood) -> None:
    """Up to three responses to the oldest published ads (inside the neighbourhood's schema)."""
    ads = list(
        Ad.objects.filter(status=AdStatus.PUBLISHED).exclude(kind="vacancy").order_by("id")[:3]
    )
    for ad, (name, email, message) in zip(ads, RESPONDERS, strict=False):
        try:
            respond_to_ad(
                ad=ad,
                display_name=name,
                email=email,
                phone=PHONES.get(name, ""),
                message=message,
                language=neighbourhood.default_language,
            )
        except ValidationError:
            continue  # e.g. the demo's owner happens to be this responder
