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
        assert few <= 2  # `SET search_path`; the participant, ads and organisations at once
        assert client.get("/ads/mine/").content.decode().count('class="ad-card"') == 9


def test_each_own_ad_offers_what_its_status_allows(cast) -> None:
    from tenants.market.models import Ad, AdStatus

    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        ads = {status: published_ad(title=f"Status {status}", email=EMAIL) for status in AdStatus}
        for status, ad in ads.items():
            Ad.objects.filter(pk=ad.pk).update(status=status)
        client.get("/")
        session = client.session
        session[SESSION_KEY] = ads[AdStatus.PUBLISHED].participant_id
        session.save()
        page = client.get("/ads/mine/").content.decode()
    actions = ("edit", "renew", "close")
    offered = {
        status: tuple(f'"/ads/mine/{ad.pk}/{action}/"' in page for action in actions)
        for status, ad in ads.items()
    }
    assert offered == {  # change, renew, take off the site
        AdStatus.UNCONFIRMED: (True, False, True),
        AdStatus.AWAITING_APPROVAL: (True, False, True),
        AdStatus.PUBLISHED: (True, True, True),
        AdStatus.CLOSED: (False, False, False),
        AdStatus.EXPIRED: (False, True, True),
        AdStatus.REJECTED: (False, False, False),
    }
    token = '/"><input type="hidden" name="csrfmiddlewaretoken" value="'
    # every renew and close form carries the token
    assert page.count(f"/renew{token}") + page.count(f"/close{token}") == 6
