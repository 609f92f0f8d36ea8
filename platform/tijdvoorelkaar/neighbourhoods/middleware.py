"""Request routing by host: the platform console, a neighbourhood, or a friendly 404."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import set_urlconf
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .selectors import neighbourhood_for_host

PLATFORM_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class NeighbourhoodMiddleware:
    """Picks the schema from the Host header: one cached lookup, one SET search_path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        connection.set_schema_to_public()
        try:
            hostname = request.get_host().split(":")[0].lower()
        except DisallowedHost:
            return HttpResponse(status=400)
        request.neighbourhood = None  # type: ignore[attr-defined]
        if hostname in settings.PLATFORM_HOSTS:
            request.tenant = connection.tenant  # type: ignore[attr-defined]
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
            set_urlconf(request.urlconf)  # type: ignore[attr-defined]
            return self.get_response(request)
        neighbourhood = neighbourhood_for_host(hostname)
        if neighbourhood is None:
            translation.activate(settings.LANGUAGE_CODE)  # not the previous request's
            return render(request, "errors/unknown_host.html", {"hostname": hostname}, status=404)
        neighbourhood.domain_url = hostname
        request.tenant = request.neighbourhood = neighbourhood  # type: ignore[attr-defined]
        connection.set_tenant(neighbourhood)
        return self.get_response(request)


class NeighbourhoodLanguageMiddleware:
    """Activates a language the neighbourhood offers: the visitor's choice (cookie), else
    their browser's, else the neighbourhood's first language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        neighbourhood = getattr(request, "neighbourhood", None)
        offered = neighbourhood.languages if neighbourhood else PLATFORM_LANGUAGES
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in offered:
            browser = translation.get_language_from_request(request)
            chosen = browser if browser in offered else offered[0]
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen  # type: ignore[attr-defined]
        request.offered_languages = [  # type: ignore[attr-defined]
            (code, name) for code, name in settings.LANGUAGES if code in offered
        ]
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", chosen)
        return response


class ArchivedNeighbourhoodMiddleware:
    """An archived neighbourhood's site only says that it has closed (data is kept)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        neighbourhood = getattr(request, "neighbourhood", None)
        if neighbourhood is not None and neighbourhood.is_archived:
            return render(request, "errors/closed.html", status=410)
        return self.get_response(request)
