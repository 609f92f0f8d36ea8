"""What credits put in the monthly newsletter (`newsletter_sections`, read by mailings): the
offers time credits can be spent on today, only where credits are on."""

from __future__ import annotations

from datetime import datetime

from django.utils.text import Truncator
from django.utils.translation import gettext_noop

from tijdvoorelkaar.contributions import NewsletterItem, NewsletterSection
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from .offers import available_offers

PER_SECTION = 8


def newsletter_sections(since: datetime) -> list[NewsletterSection]:
    neighbourhood = current_neighbourhood()
    if not neighbourhood.credits_enabled:
        return []
    offers = list(available_offers()[:PER_SECTION])
    if not offers:
        return []
    link = site_url(neighbourhood, "/credits/offers/")
    items = [
        NewsletterItem(
            title=f"{offer.title} ({offer.provider.name})",
            text=Truncator(offer.description).chars(200),
            url=link,
        )
        for offer in offers
    ]
    return [
        NewsletterSection(
            heading=gettext_noop("Spend your %(credits)s"),
            heading_params={"credits": neighbourhood.credit_name},
            items=items,
            only_if="credits_enabled",
        )
    ]
