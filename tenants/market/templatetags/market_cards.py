"""`{% ad_cards cards 3 %}`: the ad cards of a list (from `tenants.market.cards.ad_cards`, worked
out in the view), one <li> each, with headings of the given level."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from ..cards import AdCard, cards_html

register = template.Library()


@register.simple_tag
def ad_cards(cards: Iterable[AdCard], level: int) -> SafeString:
    return cards_html(cards, level)
