"""What the marketplace puts in the monthly newsletter (`newsletter_sections`, read by
mailings): the requests, offers and vacancies published since the last issue. Only what the
public list shows: title, the start of the text, the link; never who placed it."""

from __future__ import annotations

from datetime import datetime

from django.utils.text import Truncator
from django.utils.translation import gettext_noop

from tijdvoorelkaar.contributions import NewsletterItem, NewsletterSection
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from .models import AdKind
from .selectors import public_ads

PER_SECTION = 12  # a newsletter is read, not searched: the rest is one click away
HEADINGS = {  # written in each reader's language by mailings
    AdKind.REQUEST: gettext_noop("New requests"),
    AdKind.OFFER: gettext_noop("New offers"),
    AdKind.VACANCY: gettext_noop("Volunteer vacancies"),
}


def newsletter_sections(since: datetime) -> list[NewsletterSection]:
    neighbourhood = current_neighbourhood()
    new = list(public_ads().filter(published_at__gt=since).order_by("published_at", "id"))
    sections = []
    for kind, heading in HEADINGS.items():
        ads = [ad for ad in new if ad.kind == kind][:PER_SECTION]
        if ads:
            items = [
                NewsletterItem(
                    title=ad.title,
                    text=Truncator(ad.body).chars(200),
                    url=site_url(neighbourhood, f"/ads/{ad.pk}/"),
                )
                for ad in ads
            ]
            sections.append(NewsletterSection(heading=heading, items=items))
    return sections
