"""Who reaches the workspace: brokers and admins of the neighbourhood, nobody else."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tests.support.cast import client_for
from tests.support.factories import organisation_member, participant

pytestmark = pytest.mark.django_db

PAGES = ["/broker/", "/broker/board/", "/broker/moderation/"]
API = [
    "/api/v1/broker/dashboard/",
    "/api/v1/routing-steps/",
    "/api/v1/trajectories/",
    "/api/v1/support-conversations/",
    "/api/v1/moderation/ads/",
    "/api/v1/moderation/reports/",
]


def _participant_pages(pk: int) -> list[str]:
    return [
        f"/broker/participants/{pk}/conversations/",
        f"/broker/participants/{pk}/conversations/new/",
        f"/broker/participants/{pk}/ads/new/",
    ]


def test_brokers_and_admins_reach_every_page_and_endpoint(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        pk = participant().pk
    for member in (cast.a.broker, cast.a.admin):
        client = cast.a.client(member)
        for page in PAGES + _participant_pages(pk):
            assert client.get(page).status_code == 200, page
        for endpoint in API:
            assert client.get(endpoint).status_code == 200, endpoint


def test_residents_and_organisations_get_nothing(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        pk = participant().pk
        organisation = organisation_member()
    for member in (cast.a.resident, organisation):
        client = client_for(cast.a.host, cast.a.neighbourhood, member)
        for page in PAGES + _participant_pages(pk) + ["/manage/routing/"]:
            assert client.get(page).status_code == 403, page
        assert client.post(f"/broker/participants/{pk}/move/", {}).status_code == 403
        for endpoint in API:
            assert client.get(endpoint).status_code == 403, endpoint
    for endpoint in API:
        response = cast.a.client().get(
            endpoint, HTTP_AUTHORIZATION=f"Token {cast.a.resident.token}"
        )
        assert response.status_code == 403, endpoint
    assert cast.a.client().get("/broker/").status_code == 302  # anonymous: to the login


def test_a_broker_of_a_gets_nothing_from_b(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        pk = participant().pk
    stranger = client_for(cast.b.host, cast.a.neighbourhood, cast.a.broker)
    for page in PAGES + _participant_pages(pk):
        response = stranger.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for endpoint in API:
        response = cast.b.client().get(endpoint, HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}")
        assert response.status_code == 401, endpoint
    # B's own broker does not see A's participant either.
    for page in _participant_pages(pk):
        assert cast.b.client(cast.b.broker).get(page).status_code == 404


def test_only_the_admin_manages_the_routing(cast) -> None:
    assert cast.a.client(cast.a.admin).get("/manage/routing/").status_code == 200
    assert cast.a.client(cast.a.broker).get("/manage/routing/").status_code == 403
    broker = cast.a.client(cast.a.broker)
    assert broker.post("/api/v1/routing-steps/", {"name": "Extra"}).status_code == 403
