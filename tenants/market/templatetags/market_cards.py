"""`{% ad_cards cards 3 %}`: the ad cards of a list (from `tenants.market.cards.ad_cards`, worked
out in the view), one <li> each, with headings of the given level. `{% own_ads ads %}`: a
resident's own ads with their forms (from `tenants.market.cards.own_ad_rows`)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from ..cards import AdCard, OwnAd, cards_html, own_ads_html

register = template.Library()


@register.simple_tag
def ad_cards(cards: Iterable[AdCard], level: int) -> SafeString:
    return cards_html(cards, level)


@register.simple_tag(takes_context=True)
def own_ads(context: template.Context, ads: Iterable[OwnAd]) -> SafeString:
    return own_ads_html(ads, context.get("csrf_token"))
