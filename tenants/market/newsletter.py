"""What the marketplace puts in the monthly newsletter (`newsletter_sections`, read by
mailings): the requests, offers and vacancies published since the last issue. Only what the
public list shows: title, the start of the text, the link; never who placed it."""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tijdvoorelkaar.contributions import NewsletterItem, NewsletterSection
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from .models import AdKind
from .selectors import public_ads

PER_SECTION = 12  # a newsletter is read, not searched: the rest is one click away


def newsletter_sections(since: datetime, language: str) -> list[NewsletterSection]:
    neighbourhood = current_neighbourhood()
    new = list(public_ads().filter(published_at__gt=since).order_by("published_at", "id"))
    with translation.override(language):
        titles = {
            AdKind.REQUEST: _("New requests"),
            AdKind.OFFER: _("New offers"),
            AdKind.VACANCY: _("Volunteer vacancies"),
        }
        sections = []
        for kind, title in titles.items():
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
                sections.append(NewsletterSection(title=title, items=items))
    return sections
