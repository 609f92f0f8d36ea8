"""Ad cards: what a card on a list shows, worked out in the view (names, link, dates in the
visitor's language), so that the template only writes it out. A template that followed five
relations, reversed a URL and formatted two dates per card was most of an uncached list page
(docs/operations/benchmarks.md, "Pages without the cache")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import dateformat, formats, timezone

from .models import Ad, AdKind

# The columns a card shows, for `only()` on a list's query (a card needs none of the
# participant's other columns, which are most of a row).
CARD_FIELDS = (
    "kind", "title", "body", "published_at",
    "category", "category__name", "category__name_en",
    "sub_area", "sub_area__name",
    "participant", "participant__display_name",
    "organisation", "organisation__name",
)  # fmt: skip


@dataclass(frozen=True)
class AdCard:
    pk: int
    kind: str
    kind_label: str
    category: str
    sub_area: str  # "" for the whole neighbourhood
    url: str
    title: str
    excerpt: str
    by: str  # the organisation's name, else the participant's display name
    published_iso: str  # for <time datetime="…">, "" when never published
    published_on: str  # the date in the active language's format


def card_rows(ads: QuerySet[Ad]) -> QuerySet[Ad]:
    """`ads` (read with `selectors.LIST_RELATED`) with only the columns a card shows."""
    return ads.only(*CARD_FIELDS)


def ad_cards(ads: Iterable[Ad]) -> list[AdCard]:
    """Cards for ads read with `selectors.LIST_RELATED`; no query of its own. What is the
    same for every card (kind names, the date format, the link's start) is looked up once."""
    detail = reverse("market:detail", args=[0])[:-2]  # "/ads/0/" less "0/"
    kinds = {value: str(label) for value, label in AdKind.choices}
    date_format = formats.get_format("DATE_FORMAT")
    cards = []
    for ad in ads:
        published = timezone.localtime(ad.published_at) if ad.published_at else None
        cards.append(
            AdCard(
                pk=ad.pk,
                kind=ad.kind,
                kind_label=kinds.get(ad.kind, ad.kind),
                category=ad.category.display_name,
                sub_area=ad.sub_area.name if ad.sub_area_id else "",
                url=f"{detail}{ad.pk}/",
                title=ad.title,
                excerpt=ad.excerpt,
                by=ad.organisation.name if ad.organisation_id else ad.participant.display_name,
                # the template filters' output: `|date:'c'` and `|date`
                published_iso=published.isoformat() if published else "",
                published_on=dateformat.format(published, date_format) if published else "",
            )
        )
    return cards
