"""First middleware: gives each request an id, measures it, logs one line when it is done,
and answers `/metrics` (before host routing, like the health endpoints)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import metrics
from .context import accepted_or_new, request_id
from .exposition import metrics_response

logger = logging.getLogger("tijdvoorelkaar.requests")

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Answered by the health middleware before any URL is resolved.
UNROUTED = {"/healthz": "health", "/readyz": "health"}


class RequestObservationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/metrics":
            return metrics_response(request)
        token = request_id.set(accepted_or_new(request.headers.get("X-Request-ID")))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            self._observe(request, response.status_code, time.perf_counter() - started)
            return response
        finally:
            request_id.reset(token)

    def _observe(self, request: HttpRequest, status: int, seconds: float) -> None:
        view = view_label(request)
        method = request.method if request.method in METHODS else "other"
        metrics.http_requests.labels(view=view, method=method, status=str(status)).inc()
        metrics.http_request_duration.labels(view=view).observe(seconds)
        # The view's name, not the path: paths carry tokens and what people searched for.
        logger.info(
            "%s %s %s",
            method,
            view,
            status,
            extra={
                "view": view,
                "method": method,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
            },
        )


def view_label(request: HttpRequest) -> str:
    """The URL pattern's name (bounded by the URLconfs), never the path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    return UNROUTED.get(request.path, "unresolved")
