"""A resident's own ads keep their number of queries however many ads they have, and read
everything in the view (no query while the template renders)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.people.sessions import SESSION_KEY
from tests.support.factories import published_ad

pytestmark = pytest.mark.django_db

EMAIL = "eigen@example.org"


def _queries(client) -> int:  # type: ignore[no-untyped-def]
    client.get("/ads/mine/")  # the host lookup is cached after the first
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ads/mine/")
    assert response.status_code == 200
    return len(queries)


def test_own_ads_keep_their_queries_as_a_resident_places_more(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        first = published_ad(title="Eerste", email=EMAIL)
        client.get("/")  # a session to sign the participant in
        session = client.session
        session[SESSION_KEY] = first.participant_id
        session.save()
        few = _queries(client)
        for number in range(8):
            published_ad(title=f"Nog een {number}", email=EMAIL, kind="request")
        assert _queries(client) == few
        assert few <= 8
        assert client.get("/ads/mine/").content.decode().count('class="ad-card"') == 9
