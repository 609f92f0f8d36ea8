"""Demo responses and a report: a few Dutch responses to the demo's published ads, and one
report for the broker's moderation queue.

Runs right after the marketplace's demo (TENANT_APPS order) has placed its ads. Tolerates a
neighbourhood without published ads (adds nothing)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from tenants.market.models import Ad, AdStatus, Report
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .services.reports import report_ad
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


def add_demo_report() -> None:
    """The last ad placed (the first when the last is not published) reported as commercial:
    the moderation queue has something to show."""
    last = Ad.objects.order_by("-id").first()
    if last is None:
        return
    ad = last if last.status == AdStatus.PUBLISHED else Ad.objects.order_by("id").first()
    report_ad(
        ad=ad,
        reason=Report.Reason.COMMERCIAL,
        explanation="Volgens mij wordt hier geld voor gevraagd.",
    )


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    add_demo_responses(neighbourhood)  # a few residents answered, as on any living site
    add_demo_report()
