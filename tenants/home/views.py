from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tenants.market.cache import cached_newest_ads


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What this is, in one sentence, the newest requests and offers, and how to reach the
    broker in person."""
    return render(request, "home/home.html", {"newest": cached_newest_ads(6)})
