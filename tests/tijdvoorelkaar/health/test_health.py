from __future__ import annotations

import pytest
from django.test import Client

from tijdvoorelkaar.health import checks

pytestmark = pytest.mark.django_db


def test_liveness_answers_on_any_host() -> None:
    response = Client(HTTP_HOST="10.0.0.7").get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "alive"}


def test_readiness_checks_database_and_cache() -> None:
    response = Client(HTTP_HOST="pod.internal").get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["cache"] == "ok"


def test_readiness_fails_when_a_dependency_is_down(monkeypatch) -> None:
    def down() -> None:
        raise ConnectionError("no route")

    monkeypatch.setitem(checks.CHECKS, "cache", down)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"
