"""The friendly error pages: in the neighbourhood's theme (the console's look on the platform
host), in the visitor's language, and never Django's technical pages."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from tests.support.cast import PLATFORM_HOST
from tijdvoorelkaar.theming.views import server_error

pytestmark = pytest.mark.django_db

TECHNICAL = ("URLconf", "urlpatterns", "Traceback", "DEBUG", "RuntimeError")


def _assert_friendly(body: str) -> None:
    for word in TECHNICAL:
        assert word not in body


def test_an_unknown_address_on_a_neighbourhood_gets_its_themed_not_found_page(cast) -> None:
    response = cast.a.client().get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'class="theme-kade"' in body
    assert "/static/themes/kade/css/theme.css" in body
    assert cast.a.neighbourhood.name in body
    assert "<h1>Pagina niet gevonden</h1>" in body
    _assert_friendly(body)

    english = cast.a.client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>Page not found</h1>" in english.content.decode()


def test_an_unknown_address_on_the_platform_gets_the_console_s_not_found_page(cast) -> None:
    # (Under /api/ an unknown address answers the API's JSON 404: test_schema_and_errors.)
    response = Client(HTTP_HOST=PLATFORM_HOST).get("/no-such-thing/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'class="theme-default"' in body
    assert "Platformbeheer" in body  # the console's masthead
    assert "<h1>Pagina niet gevonden</h1>" in body
    _assert_friendly(body)


def _failing(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(target, fail)


def test_a_server_error_on_a_neighbourhood_shows_the_themed_friendly_page(
    cast, monkeypatch
) -> None:
    _failing(monkeypatch, "tenants.home.views.cached_newest_ads")
    client = cast.b.client()
    client.raise_request_exception = False

    response = client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert 'class="theme-baksteen"' in body
    assert cast.b.neighbourhood.name in body
    assert "<h1>Er ging iets mis</h1>" in body
    _assert_friendly(body)

    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 500
    assert '<html lang="en">' in english.content.decode()
    assert "<h1>Something went wrong</h1>" in english.content.decode()


def test_a_server_error_on_the_platform_shows_the_console_s_friendly_page(
    operator_client, monkeypatch
) -> None:
    _failing(monkeypatch, "tijdvoorelkaar.console.views.neighbourhoods")
    operator_client.raise_request_exception = False

    response = operator_client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert 'class="theme-default"' in body
    assert "Platformbeheer" in body
    assert "<h1>Er ging iets mis</h1>" in body
    _assert_friendly(body)


def test_the_server_error_page_needs_no_database(cast, django_assert_num_queries) -> None:
    # The database may be what failed: the page must not need it (no menu, no session).
    request = RequestFactory().get("/", HTTP_HOST=cast.a.host)
    request.neighbourhood = cast.a.neighbourhood
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert cast.a.neighbourhood.name in response.content.decode()
