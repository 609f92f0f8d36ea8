"""A neighbourhood's settings are read through caches (the host lookup, ADR 0007; the anonymous
ad list, keyed by the settings it was rendered with): a change through the service shows on
the very next request, also on a page that was cached a moment before, and only there."""

from __future__ import annotations

import pytest
from django.db import connection

from tijdvoorelkaar.neighbourhoods.services import update_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/ads/"])
def test_a_new_name_shows_on_the_next_request(cast, path) -> None:
    visitor, other = cast.a.client(), cast.b.client()
    old_name = cast.a.neighbourhood.name
    assert old_name in visitor.get(path).content.decode()  # host lookup and page now cached
    other.get(path)

    connection.set_schema_to_public()  # as the console does (the last request left B's)
    update_settings(
        neighbourhood=cast.a.neighbourhood, changes={"name": "Nieuwe Buurt"}, changed_by=None
    )

    page = visitor.get(path).content.decode()
    assert "Nieuwe Buurt" in page and old_name not in page
    assert "Nieuwe Buurt" not in other.get(path).content.decode()


def test_a_new_accent_colour_changes_the_next_pages_stylesheet(cast) -> None:
    visitor = cast.a.client()
    before = visitor.get("/ads/").content.decode()

    update_settings(
        neighbourhood=cast.a.neighbourhood, changes={"accent_colour": "#1a5e20"}, changed_by=None
    )

    after = visitor.get("/ads/").content.decode()
    assert _stylesheet(after) != _stylesheet(before)
    assert "#1a5e20" in visitor.get(_stylesheet(after)).content.decode()


def _stylesheet(page: str) -> str:
    start = page.index('href="/theme.css?v=') + len('href="')
    return page[start : page.index('"', start)]
