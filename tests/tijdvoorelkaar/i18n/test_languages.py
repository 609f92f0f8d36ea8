"""Dutch by default; English where the neighbourhood offers it."""

from __future__ import annotations

import pytest
from django.conf import settings

from tijdvoorelkaar.neighbourhoods.services import update_settings

pytestmark = pytest.mark.django_db


def test_dutch_is_the_default(cast) -> None:
    response = cast.a.client().get("/")
    assert response["Content-Language"] == "nl"
    assert b'<html lang="nl">' in response.content


def test_a_visitor_can_choose_english_where_it_is_offered(cast) -> None:
    client = cast.a.client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert b'<html lang="en">' in response.content


def test_the_browser_language_counts_only_if_the_neighbourhood_offers_it(cast) -> None:
    update_settings(
        neighbourhood=cast.b.neighbourhood, changes={"languages": ["nl"]}, changed_by=None
    )
    assert cast.a.client().get("/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
    only_dutch = cast.b.client()
    only_dutch.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = only_dutch.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "nl"
    assert b"language-select" not in response.content  # no switch with one language
