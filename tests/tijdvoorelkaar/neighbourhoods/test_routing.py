"""Requests find their neighbourhood by host: cached, one SET search_path at most (none when
the connection is already there), friendly misses."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.cast import PLATFORM_HOST, client_for
from tijdvoorelkaar.neighbourhoods.services import archive_neighbourhood, reopen_neighbourhood

pytestmark = pytest.mark.django_db


def test_an_unknown_host_gets_a_friendly_404_page() -> None:
    response = Client(HTTP_HOST="nergens.example.org").get("/")
    assert response.status_code == 404
    assert b"nergens.example.org" in response.content
    assert b"<h1>" in response.content  # a page, not a crash or a bare error


def test_the_platform_host_serves_the_console(cast) -> None:
    response = client_for(PLATFORM_HOST).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_each_neighbourhood_renders_in_its_own_theme(cast) -> None:
    a = cast.a.client().get("/").content.decode()
    b = cast.b.client().get("/").content.decode()
    console = client_for(PLATFORM_HOST).get("/accounts/login/").content.decode()
    assert "/static/themes/kade/css/theme.css" in a
    assert "/static/themes/baksteen/css/theme.css" in b
    assert 'class="theme-default"' in console
    # Their colours: tests/tijdvoorelkaar/theming/test_theme_stylesheet.py
    assert cast.a.neighbourhood.name in a and cast.b.neighbourhood.name not in a


def test_an_archived_neighbourhood_says_it_has_closed_until_reopened(cast) -> None:
    archive_neighbourhood(neighbourhood=cast.a.neighbourhood, archived_by=None)
    closed = cast.a.client().get("/")
    assert closed.status_code == 410
    assert cast.a.neighbourhood.name.encode() in closed.content
    assert cast.a.client().get("/accounts/login/").status_code == 410
    reopen_neighbourhood(neighbourhood=cast.a.neighbourhood, reopened_by=None)
    assert cast.a.client().get("/").status_code == 200


def test_an_archived_neighbourhoods_closed_page_offers_nothing_it_no_longer_does(cast) -> None:
    archive_neighbourhood(neighbourhood=cast.a.neighbourhood, archived_by=None)
    closed = cast.a.client().get("/").content.decode()
    reopen_neighbourhood(neighbourhood=cast.a.neighbourhood, reopened_by=None)
    for path in ("/ads/new/", "/accounts/login/", "/ads/", "/ads/sign-in/"):
        assert f'href="{path}"' not in closed, path
    phone = cast.a.neighbourhood.broker_phone
    assert phone and phone in closed  # the one way left: call the broker
    open_page = cast.a.client().get("/").content.decode()
    assert 'href="/ads/new/"' in open_page and 'href="/accounts/login/"' in open_page


def test_the_host_lookup_is_cached(cast) -> None:
    client = cast.a.client()
    client.get("/")  # warms the cache
    with CaptureQueriesContext(connections["default"]) as queries:
        assert client.get("/").status_code == 200
    # The page itself is cached too; what remains is the visit counter (siteuse).
    assert not [q["sql"] for q in queries if "neighbourhoods_" in q["sql"]]
    assert len(queries) <= 2  # SET search_path and the counter's one statement


def _search_path_sets(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("SET search_path")]


def test_a_page_costs_one_set_search_path_at_most_and_few_queries(
    cast, django_assert_max_num_queries
) -> None:
    client = cast.a.client(cast.a.admin)
    client.get("/manage/settings/")
    cast.b.client().get("/")  # the connection now has B's schema
    with django_assert_max_num_queries(3) as switched:  # SET search_path, user and device, page
        assert client.get("/manage/settings/").status_code == 200
    path = f'SET search_path = "{cast.a.neighbourhood.schema_name}","public"'
    assert _search_path_sets(switched) == [path]
    # The same neighbourhood again on this connection: its search_path is already right.
    with django_assert_max_num_queries(2) as staying:
        assert client.get("/manage/settings/").status_code == 200
    assert _search_path_sets(staying) == []
