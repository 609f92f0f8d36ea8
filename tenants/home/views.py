from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tenants.market.cache import cached_newest_ads
from tenants.market.cards import ad_cards
from tenants.stories.selectors import newest_stories


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What this is, in one sentence, the newest requests and offers, and how to reach the
    broker in person; the newest success stories."""
    context = {"cards": ad_cards(cached_newest_ads(6)), "stories": newest_stories(count=2)}
    return render(request, "home/home.html", context)
