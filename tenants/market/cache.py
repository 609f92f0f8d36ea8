"""The list page for anonymous visitors, cached until what it shows changes.

Most visitors browse the list without signing in; rendering twenty cards and the filter form
costs far more than reading them. So the page is cached per neighbourhood (Django's cache
prefixes every key with the schema) under a key of the language, the neighbourhood's settings
and the full path, stored with the list's version: every change to what a list shows (an ad,
a category or sub-area, a display name, an organisation's name, an erasure) bumps the
version, and a page of an older version is a miss. After a bump a task renders the first
page again (`market.warm_list`), so the next visitor finds it ready.

An entry lives until its version changes, with two limits: the moment the first live ad
reaches its end (the list hides it at once, before the hourly expiry bumps the version), and
PAGE_SECONDS, so that searches nobody repeats leave Redis, which is also the task broker.
The CSRF token of the page's forms (the language switch) is a placeholder in the cache and
the visitor's own token when served. Signed-in visitors, participants signed in by a link
and visitors with a pending message are never served from or stored in the cache."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from tenants.people.sessions import SESSION_KEY
from tijdvoorelkaar.jobs import enqueue_on_commit

PAGE_SECONDS = 24 * 3600
VERSION_KEY = "market:list-version"
END_KEY = "market:list-first-end"
ENDS_VERSION_KEY = "market:list-ends-version"
CSRF_PLACEHOLDER = "csrf-placeholder-0b6f2a"
# The list's filter options (categories, sub-areas) have a version of their own: they change
# far less often than ads, and reading them was two of an uncached list's queries.
FILTERS_KEY = "market:filter-options"
FILTERS_VERSION_KEY = "market:filter-options-version"
FORM_KEY = "market:empty-search-form"


def bump_list_version(*, warm: bool = True, filters: bool = False, ends: bool = False) -> None:
    """Ads changed: cached pages are stale now and again once the change commits; then the
    first page is rendered again in the background (unless `warm` is False). `filters`: the
    categories or sub-areas changed too, so the list's filter options are read again. `ends`:
    an ad went live with an end, which may come before the first end known so far."""
    keys = [VERSION_KEY]
    keys += [FILTERS_VERSION_KEY] if filters else []
    keys += [ENDS_VERSION_KEY] if ends else []

    def bump() -> None:
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, None)

    bump()
    transaction.on_commit(bump, robust=True)
    if warm:
        enqueue_on_commit("market.warm_list")


def public_face_changed() -> None:
    """Something the lists show changed outside the market (a participant's name or
    sub-area, new sub-areas, a whole neighbourhood restored from a backup): every cached
    list page, its filter options and the first end known are read again."""
    bump_list_version(filters=True, ends=True)


def list_version() -> tuple[int, int]:
    """The lists' version in this neighbourhood. It carries the neighbourhood's id: cache
    keys carry only the schema's name, and a neighbourhood made later under the name of a
    deleted one starts at the same count."""
    return (connection.tenant.pk, cache.get(VERSION_KEY, 0))


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
    parts = "|".join([request.LANGUAGE_CODE, settings_seen, request.get_full_path()])
    return "market:list-page:" + hashlib.sha256(parts.encode()).hexdigest()


def _lifetime() -> int:
    """Seconds an entry may live: until the first live ad ends, PAGE_SECONDS at most. That
    moment is read again only when an ad went live (`bump_list_version(ends=True)`) or once
    it has passed: other changes (an ad closed, edited, erased) can only make the first end
    later, and an entry that expires early is merely rendered again."""
    from .selectors import first_live_end

    version = (connection.tenant.pk, cache.get(ENDS_VERSION_KEY, 0))
    now = timezone.now()
    known = _stored(END_KEY, version)
    end = known[0] if known is not None else None
    if known is None or (end is not None and end <= now):
        end = first_live_end()
        cache.set(END_KEY, (version, (end,)), PAGE_SECONDS)
    if end is None:
        return PAGE_SECONDS
    return max(1, min(PAGE_SECONDS, int((end - now).total_seconds())))


def _stored(key: str, version: tuple[int, int]) -> Any:
    """The value stored under `key` for this version (of the lists, their filters or their
    ends), or None."""
    entry = cache.get(key)
    if isinstance(entry, tuple) and entry[0] == version:
        return entry[1]
    return None


def _served(request: HttpRequest, html: str, status: int = 200) -> HttpResponse:
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)), status=status)


def cached_page(request: HttpRequest, render_page: Callable[[dict[str, str]], HttpResponse]):
    """The page from the cache, or rendered by `render_page(extra_context)` and stored."""
    if not cacheable(request):
        return render_page({})
    key, version = _key(request), list_version()
    html = _stored(key, version)
    if html is not None:
        return _served(request, html)
    response = render_page({"csrf_token": CSRF_PLACEHOLDER})
    html = response.content.decode()
    if response.status_code == 200:
        cache.set(key, (version, html), _lifetime())
    return _served(request, html, response.status_code)


def is_cached(request: HttpRequest) -> bool:
    """Whether this request would be served from the cache (for warming)."""
    return _stored(_key(request), list_version()) is not None


def cached_newest_ads(count: int = 6) -> list[dict[str, Any]]:
    """The home page's newest requests and offers as card rows (`cards.card_rows`), read once
    per version of the ads."""
    from .cards import card_rows
    from .selectors import newest_ads

    key, version = f"market:newest-cards:{count}", list_version()
    rows = _stored(key, version)
    if rows is None:
        rows = list(card_rows(newest_ads())[:count])
        cache.set(key, (version, rows), _lifetime())
    return rows


def _per_filters_version(key: str, make: Callable[[], Any]) -> Any:
    """What is stored under `key` for this version of the filter options, else `make()`
    stored."""
    version = (connection.tenant.pk, cache.get(FILTERS_VERSION_KEY, 0))
    value = _stored(key, version)
    if value is None:
        value = make()
        cache.set(key, (version, value), PAGE_SECONDS)
    return value


def cached_filter_options() -> tuple[list[Any], list[Any]]:
    """The list's filter options, `selectors.filter_options()`, read once per version of
    the categories and sub-areas (`bump_list_version(filters=True)`)."""
    from .selectors import filter_options

    return _per_filters_version(FILTERS_KEY, filter_options)


def cached_empty_search_form(render: Callable[[], str]) -> str:
    """The list's filter form with nothing chosen, as HTML: the same for every visitor who
    has not searched yet, so built and rendered (≈ 1 ms: the form and its four fields) once
    per version of the filter options, language and theme. `render()` makes it on a miss."""
    from tijdvoorelkaar.theming.loaders import current_theme_slug

    return _per_filters_version(f"{FORM_KEY}:{get_language()}:{current_theme_slug()}", render)
