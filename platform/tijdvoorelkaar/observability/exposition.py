"""Serving the metrics: `/metrics` on the web processes, a small server in the worker.

Neither is public: both answer only a request that carries `Authorization: Bearer
<METRICS_TOKEN>`, and without a configured token the web endpoint does not exist (404) and
the worker starts no server. The Kubernetes manifests also keep `/metrics` off the ingress.
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.exposition import ThreadingWSGIServer

logger = logging.getLogger(__name__)

# Figures about the whole platform (neighbourhoods, spare schemas, the outbox backlog), read
# when scraped. Apps above register their collectors here (operations/apps.py); the web
# endpoint exports them, the worker's server does not (one place, no double counting).
PLATFORM = CollectorRegistry(auto_describe=False)


def process_figures() -> bytes:
    """The figures of every process of this pod (multiprocess mode), or of this process."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return generate_latest(REGISTRY)
    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)
    return generate_latest(combined)


def authorised(header: str | None) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = (header or "").strip().partition(" ")
    return (
        bool(token)
        and scheme.lower() == "bearer"  # the scheme's name is case-insensitive (RFC 9110)
        and hmac.compare_digest(given.strip().encode(), token.encode())
    )


def metrics_response(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS_TOKEN:
        return HttpResponse(status=404)
    if not authorised(request.headers.get("Authorization")):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = process_figures() + generate_latest(PLATFORM)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def worker_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The worker's metrics, as a WSGI app, behind the same token."""
    if environ.get("PATH_INFO") != "/metrics":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b""]
    if not authorised(environ.get("HTTP_AUTHORIZATION")):
        start_response("401 Unauthorized", [("WWW-Authenticate", 'Bearer realm="metrics"')])
        return [b""]
    start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
    return [process_figures()]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Scrapes every 30 s are not news."""


def serve_worker_metrics(port: int, address: str = "0.0.0.0") -> ThreadingWSGIServer:  # noqa: S104 - the pod's address; the token guards it
    """Serve the worker's metrics on `port` from a daemon thread; returns the server."""
    server = make_server(address, port, worker_app, ThreadingWSGIServer, _QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True, name="metrics").start()
    logger.info("worker metrics on port %s", server.server_port)
    return server
