"""The list page for anonymous visitors, cached.

Most visitors browse the list without signing in; rendering twenty cards and the filter form
costs far more than reading them. So the page is cached per neighbourhood (Django's cache
prefixes every key with the schema), keyed by a version that every change to an ad bumps, the
language, the neighbourhood's settings and the full path. The CSRF token of the page's forms
(the language switch) is a placeholder in the cache and the visitor's own token when served.
Signed-in visitors, participants signed in by a link and visitors with a pending message are
never served from or stored in the cache. Anything that changes what a list shows without a
bump (a display name, an erasure) is at most PAGE_SECONDS old."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from tenants.people.sessions import SESSION_KEY

PAGE_SECONDS = 60
VERSION_KEY = "market:list-version"
CSRF_PLACEHOLDER = "csrf-placeholder-0b6f2a"


def bump_list_version() -> None:
    """Ads changed: cached pages are stale now and again once the change commits."""

    def bump() -> None:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, None)

    bump()
    transaction.on_commit(bump, robust=True)


def cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
        and SESSION_KEY not in request.session
        and "_messages" not in request.session
    )


def _key(request: HttpRequest) -> str:
    neighbourhood = request.neighbourhood  # type: ignore[attr-defined]
    settings_seen = repr(
        [getattr(neighbourhood, f.attname) for f in neighbourhood._meta.concrete_fields]
    )
    parts = "|".join(
        [
            str(cache.get(VERSION_KEY, 0)),
            request.LANGUAGE_CODE,
            settings_seen,
            request.get_full_path(),
        ]
    )
    return "market:list-page:" + hashlib.sha256(parts.encode()).hexdigest()


def _served(request: HttpRequest, html: str, status: int = 200) -> HttpResponse:
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)), status=status)


def cached_page(request: HttpRequest, render_page: Callable[[dict[str, str]], HttpResponse]):
    """The page from the cache, or rendered by `render_page(extra_context)` and stored."""
    if not cacheable(request):
        return render_page({})
    key = _key(request)
    html = cache.get(key)
    if html is not None:
        return _served(request, html)
    response = render_page({"csrf_token": CSRF_PLACEHOLDER})
    html = response.content.decode()
    if response.status_code == 200:
        cache.set(key, html, PAGE_SECONDS)
    return _served(request, html, response.status_code)


def cached_newest_ads(count: int = 6) -> list:  # type: ignore[type-arg]
    """The home page's newest requests and offers, read once per version of the ads."""
    from .selectors import newest_ads

    key = f"market:newest:{count}:{cache.get(VERSION_KEY, 0)}"
    ads = cache.get(key)
    if ads is None:
        ads = newest_ads(count=count)
        cache.set(key, ads, PAGE_SECONDS)
    return ads
