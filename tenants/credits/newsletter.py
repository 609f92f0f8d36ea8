"""What credits put in the monthly newsletter (`newsletter_sections`, read by mailings): the
offers time credits can be spent on today, only where credits are on."""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tijdvoorelkaar.contributions import NewsletterItem, NewsletterSection
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from .offers import available_offers

PER_SECTION = 8


def newsletter_sections(since: datetime, language: str) -> list[NewsletterSection]:
    neighbourhood = current_neighbourhood()
    if not neighbourhood.credits_enabled:
        return []
    offers = list(available_offers()[:PER_SECTION])
    if not offers:
        return []
    link = site_url(neighbourhood, "/credits/offers/")
    with translation.override(language):
        title = _("Spend your %(credits)s") % {"credits": neighbourhood.credit_name}
        items = [
            NewsletterItem(
                title=f"{offer.title} ({offer.provider.name})",
                text=Truncator(offer.description).chars(200),
                url=link,
            )
            for offer in offers
        ]
    return [NewsletterSection(title=title, items=items, only_if="credits_enabled")]
