"""Warming the anonymous list cache after a change: the first page of /ads/ rendered for
every language the neighbourhood offers, as a visitor without a session would get it, so that
the next visitor after a change does not wait for the rendering (tenants/market/cache.py)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from ..cache import is_cached
from .ads import AdListView


def _visitor_request(neighbourhood: object, language: str) -> HttpRequest:
    """A GET of the list's first page by a visitor without a session, in `language`, with
    what the middleware would have set (the neighbourhood, the language, the user)."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = reverse("market:list")
    host = neighbourhood.domains.filter(is_primary=True).values_list("domain", flat=True).first()  # type: ignore[attr-defined]
    request.META = {"HTTP_HOST": host or "localhost", "SERVER_NAME": host or "localhost"}
    request.user = AnonymousUser()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()  # never saved
    request.tenant = request.neighbourhood = neighbourhood  # type: ignore[attr-defined]
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
    offered = neighbourhood.languages  # type: ignore[attr-defined]
    request.offered_languages = [  # type: ignore[attr-defined]
        (code, name) for code, name in settings.LANGUAGES if code in offered
    ]
    return request


def warm_list_cache() -> int:
    """Render the list's first page into the cache for each offered language where it is not
    there yet; returns how many were rendered. Runs in the neighbourhood's schema."""
    neighbourhood = connection.tenant
    rendered = 0
    for language in neighbourhood.languages:
        with translation.override(language):
            request = _visitor_request(neighbourhood, language)
            if not is_cached(request):
                AdListView.as_view()(request)
                rendered += 1
    return rendered
