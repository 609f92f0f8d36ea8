"""Ad cards: what a card on a list shows, worked out in the view (names, link, dates in the
visitor's language) from the few columns a card needs, and written out by `cards_html`. A
template that followed five relations, reversed a URL and formatted two dates per card was
most of an uncached list page, and even a plain template loop over twenty cards cost a third
of it (docs/operations/benchmarks.md, "Pages without the cache")."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape  # Django's `escape` is this, behind a lazy-text check per call
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from tijdvoorelkaar.formats import day_text
from tijdvoorelkaar.theming.widgets import csrf_input
from tijdvoorelkaar.translated_names import english_names_shown

from .models import Ad, AdKind, AdStatus, excerpt_of

# The columns a card shows: read as plain rows (`values()`), not as an ad and four related
# objects per card.
CARD_VALUES = (
    "pk", "kind", "title", "body", "published_at",
    "category__name", "category__name_en", "sub_area__name",
    "participant__display_name", "organisation__name",
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


def card_rows(ads: QuerySet[Ad]) -> QuerySet[Any]:
    """`ads` as the rows `ad_cards` reads: only the columns a card shows."""
    return ads.values(*CARD_VALUES)


def ad_cards(rows: Iterable[dict[str, Any]]) -> list[AdCard]:
    """Cards for rows read with `card_rows`; no query of its own. What is the same for every
    card (kind names, the language, the link's start, each day's date) is worked out once."""
    detail = reverse("market:detail", args=[0])[:-2]  # "/ads/0/" less "0/"
    kinds = {value: str(label) for value, label in AdKind.choices}
    english = english_names_shown()  # asked once, not per card
    dates = _DatesInLanguage()
    cards = []
    for row in rows:
        published_iso, published_on = dates.iso_and_day(row["published_at"])
        cards.append(
            AdCard(
                pk=row["pk"],
                kind=row["kind"],
                kind_label=kinds.get(row["kind"], row["kind"]),
                category=(english and row["category__name_en"]) or row["category__name"],
                sub_area=row["sub_area__name"] or "",
                url=f"{detail}{row['pk']}/",
                title=row["title"],
                excerpt=excerpt_of(row["body"]),
                by=row["organisation__name"] or row["participant__display_name"],
                published_iso=published_iso,
                published_on=published_on,
            )
        )
    return cards


class _DatesInLanguage:
    """The template filters' output, `|date:'c'` and `|date`, in local time. The time zone and
    language are looked up once per list, and a day's date is formatted once per
    process (`tijdvoorelkaar.formats.day_text`): a list's twenty cards share a handful of days."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.language = get_language()

    def iso_and_day(self, moment: datetime.datetime | None) -> tuple[str, str]:
        if moment is None:
            return "", ""
        local = moment.astimezone(self.zone)  # timezone.localtime(moment)
        return local.isoformat(), day_text(local.date(), self.language)

    def day(self, moment: datetime.datetime | None) -> str:
        return self.iso_and_day(moment)[1]


def cards_html(cards: Iterable[AdCard], level: int) -> SafeString:
    """The cards, one <li> each, with headings of `level`: written here rather than by a
    template loop, which cost ≈ 3 ms for twenty cards. Every value is escaped."""
    return mark_safe("".join(_card_html(card, int(level)) for card in cards))  # noqa: S308


def _card_html(card: AdCard, level: int) -> str:
    sub_area = f" · {escape(card.sub_area)}" if card.sub_area else ""
    title_id = f"ad-{card.pk}-title"
    return (
        f'<li><article class="ad-card" aria-labelledby="{title_id}">\n'
        f'  <p class="ad-kind"><span class="status kind-{escape(card.kind)}">'
        f'{escape(card.kind_label)}</span> <span class="ad-meta">{escape(card.category)}'
        f"{sub_area}</span></p>\n"
        f'  <h{level} id="{title_id}" class="ad-title"><a href="{escape(card.url)}">'
        f"{escape(card.title)}</a></h{level}>\n"
        f'  <p class="ad-excerpt">{escape(card.excerpt)}</p>\n'
        f'  <p class="ad-meta">{escape(card.by)} · <time datetime="{escape(card.published_iso)}">'
        f"{escape(card.published_on)}</time></p>\n"
        "</article></li>"
    )


# A resident's own ads (`/ads/mine/`): each with its links and what it may do next, worked out
# here; the template reversed four URLs and formatted a date per ad.
OWN_AD_VALUES = ("pk", "title", "kind", "status", "expires_at")
CHANGEABLE = {
    AdStatus.PUBLISHED.value,
    AdStatus.UNCONFIRMED.value,
    AdStatus.AWAITING_APPROVAL.value,
}
RENEWABLE = {AdStatus.PUBLISHED.value, AdStatus.EXPIRED.value}
CLOSABLE = set(AdStatus.values) - {AdStatus.CLOSED.value, AdStatus.REJECTED.value}


@dataclass(frozen=True)
class OwnAd:
    pk: int
    title: str
    url: str
    kind_label: str
    status_label: str
    online_until: str  # "online until <date>" while published with an end, else ""
    edit_url: str  # "" when it cannot be changed (closed, expired, rejected)
    renew_url: str  # "" unless published or expired
    close_url: str  # "" once closed or rejected


def own_ad_rows(ads: Iterable[dict[str, Any]]) -> list[OwnAd]:
    """The rows of `/ads/mine/` for the resident's own ads, read as `OWN_AD_VALUES`
    (`selectors.own_ads_page`); no query of its own."""
    detail, edit, renew, close = (
        _link_for(name) for name in ("market:detail", "market:edit", "market:renew", "market:close")
    )
    kinds = {value: str(label) for value, label in AdKind.choices}
    statuses = {value: str(label) for value, label in AdStatus.choices}
    dates = _DatesInLanguage()
    rows = []
    for row in ads:
        pk, status = row["pk"], row["status"]
        published = status == AdStatus.PUBLISHED
        until = dates.day(row["expires_at"]) if published and row["expires_at"] else ""
        rows.append(
            OwnAd(
                pk=pk,
                title=row["title"],
                url=detail(pk),
                kind_label=kinds.get(row["kind"], row["kind"]),
                status_label=statuses.get(status, status),
                online_until=gettext("online until %(date)s") % {"date": until} if until else "",
                edit_url=edit(pk) if status in CHANGEABLE else "",
                renew_url=renew(pk) if status in RENEWABLE else "",
                close_url=close(pk) if status in CLOSABLE else "",
            )
        )
    return rows


def _link_for(name: str) -> Callable[[int], str]:
    """The URL `name` (with one id) for any id: reversed once, not once per ad."""
    start, end = reverse(name, args=[0]).split("/0/")
    return lambda pk: f"{start}/{pk}/{end}"


def own_ads_html(ads: Iterable[OwnAd], csrf_token: object) -> SafeString:
    """The resident's own ads, one <li> each, with their forms (the page's CSRF token, as
    `{% csrf_token %}` writes it): written here, a template loop cost ≈ 0.5 ms per ad."""
    csrf = csrf_input(csrf_token)
    words = {
        "Change": escape(gettext("Change")),
        "Renew": escape(gettext("Renew")),
        "Take off the site": escape(gettext("Take off the site")),
    }
    return mark_safe("".join(_own_ad_html(ad, csrf, words) for ad in ads))  # noqa: S308


def _own_ad_html(ad: OwnAd, csrf: str, words: dict[str, str]) -> str:
    title = escape(ad.title)
    hidden = f'<span class="visually-hidden">: {title}</span>'
    until = f" · {escape(ad.online_until)}" if ad.online_until else ""
    edit = f'<a href="{escape(ad.edit_url)}">{words["Change"]}{hidden}</a>' if ad.edit_url else ""
    renew = _post_button(ad.renew_url, csrf, words["Renew"], hidden) if ad.renew_url else ""
    close = (
        _post_button(ad.close_url, csrf, words["Take off the site"], hidden) if ad.close_url else ""
    )
    return (
        f'<li><article class="ad-card" aria-labelledby="mine-{ad.pk}">\n'
        f'  <h2 id="mine-{ad.pk}" class="ad-title"><a href="{escape(ad.url)}">{title}</a></h2>\n'
        f"  <p>{escape(ad.kind_label)} · "
        f'<span class="status">{escape(ad.status_label)}</span>{until}</p>\n'
        '  <div class="actions">\n'
        f"    {edit}\n"
        f"    {renew}\n"
        f"    {close}\n"
        "  </div>\n"
        "</article></li>"
    )


def _post_button(url: str, csrf: str, label: str, hidden: str) -> str:
    return (
        f'<form method="post" action="{escape(url)}">{csrf}'
        f'<button class="link-button" type="submit">{label}{hidden}</button></form>'
    )
