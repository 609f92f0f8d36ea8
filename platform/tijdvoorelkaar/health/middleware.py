"""Liveness and readiness answer on any host (probes use the pod's address), before routing."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from .checks import run_checks


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return JsonResponse({"status": "alive"})
        if request.path == "/readyz":
            results = run_checks()
            ready = all(not value.startswith("error") for value in results.values())
            return JsonResponse(
                {"status": "ready" if ready else "not ready", "checks": results},
                status=200 if ready else 503,
            )
        return self.get_response(request)
