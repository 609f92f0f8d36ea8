"""Counts a visit to a neighbourhood's public pages: a GET answered 200 with HTML, not by staff,
not by a bot, not the API, static files or the workspace. No cookie is set, nothing is read
from the browser but its address and user agent, and neither is stored (see services)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

from tijdvoorelkaar.accounts.spraying import client_ip

from .services import count_visit

logger = logging.getLogger(__name__)

# What announces itself as a machine: crawlers, link previews, monitors, scripts.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|fetch|scan|monitor|uptime|pingdom|preview|headless"
    r"|lighthouse|facebookexternalhit|whatsapp|curl|wget|python|httpx|aiohttp|okhttp|axios"
    r"|go-http-client|java/|libwww|scrapy|node-fetch|postman|insomnia",
    re.IGNORECASE,
)
NOT_PUBLIC = (
    "/api/",
    "/static/",
    "/media/",
    "/broker/",
    "/manage/",
    "/accounts/",
    "/i18n/",
    "/audit/",
    "/outbox/",
    "/staff/",
    "/settings/",
    "/people/",
    "/healthz",
    "/readyz",
    "/theme.css",
)


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or BOTS.search(user_agent) is not None


def counts_as_visit(request: HttpRequest, response: HttpResponse) -> bool:
    neighbourhood = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and getattr(neighbourhood, "schema_name", "public") != "public"
        and not request.path.startswith(NOT_PUBLIC)
        and "HTTP_HX_REQUEST" not in request.META  # a part of a page, not a visit
        and "prefetch" not in request.META.get("HTTP_SEC_PURPOSE", "")
        and not (user is not None and user.is_authenticated)  # staff, operators
        and not is_bot(request.META.get("HTTP_USER_AGENT", ""))
    )


class SiteUseMiddleware:
    """After the neighbourhood middleware, so the visit is counted in its schema."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if counts_as_visit(request, response):
            try:
                count_visit(
                    ip=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
                    start_month=request.tenant.reporting_year_start_month,  # type: ignore[attr-defined]
                )
            except Exception as error:  # noqa: BLE001 - a visit not counted must not fail the page
                logger.warning(
                    "Visit not counted in %s: %s", connection.schema_name, type(error).__name__
                )
        return response
