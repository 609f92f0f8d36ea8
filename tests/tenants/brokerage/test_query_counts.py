"""The dashboard and the board run the same number of queries with 20 or 2,000 participants
(each with something in every section)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tests.support.factories import grow
from tijdvoorelkaar.accounts import staff_sessions

pytestmark = pytest.mark.django_db

PATHS = ["/broker/", "/broker/board/", "/api/v1/broker/dashboard/", "/api/v1/trajectories/"]


def _first_step_path() -> str:
    from tenants.brokerage.models import RoutingStep

    return f"/broker/board/?step={RoutingStep.objects.order_by('position').first().pk}"


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    client.get(path)  # warm up: the host lookup and the session are cached after the first
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context.captured_queries)


def test_dashboard_and_board_keep_their_queries_as_the_neighbourhood_grows(
    cast, monkeypatch
) -> None:
    # The staff session's clock is written once a minute: on a slow machine that minute may
    # end between a warm-up and the measured request, one write more. Once is enough here.
    monkeypatch.setattr(staff_sessions, "SEEN_EVERY_SECONDS", 10**9)
    client = cast.a.client(cast.a.broker)
    with tenant_context(cast.a.neighbourhood):
        grow(20)
        whole_step = _first_step_path()
    few = {path: _queries(client, path) for path in [*PATHS, whole_step]}
    page = client.get("/broker/").content.decode()
    assert page.count('action="/broker/responses/') == 10  # a short list, with its count
    with tenant_context(cast.a.neighbourhood):
        grow(1980)
    many = {path: _queries(client, path) for path in [*PATHS, whole_step]}
    assert few == many
    assert few["/broker/"] <= 5 and few["/broker/board/"] <= 12
