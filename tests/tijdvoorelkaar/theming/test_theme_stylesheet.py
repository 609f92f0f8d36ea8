"""/theme.css: the theme's colours as a stylesheet of its own (the Content-Security-Policy
allows no inline style), versioned so browsers may keep it until the colours change."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.cast import PLATFORM_HOST, theme_stylesheet
from tijdvoorelkaar.neighbourhoods.services import update_settings

pytestmark = pytest.mark.django_db


def test_each_host_gets_its_own_themes_colours(cast) -> None:
    assert "--primary: #0b4f71" in theme_stylesheet(cast.a.client())[1]
    assert "--primary: #9b2c1f" in theme_stylesheet(cast.b.client())[1]
    assert (
        "--primary: #1f5f8b"
        in theme_stylesheet(Client(HTTP_HOST=PLATFORM_HOST), "/accounts/login/")[1]
    )


def test_a_new_accent_colour_gets_a_new_address_and_the_old_one_is_not_kept(cast) -> None:
    client = cast.a.client()
    before, _css = theme_stylesheet(client)
    assert "immutable" in client.get(before)["Cache-Control"]

    update_settings(
        neighbourhood=cast.a.neighbourhood, changes={"accent_colour": "#5a2d82"}, changed_by=None
    )

    after, css = theme_stylesheet(client)
    assert after != before and "--primary: #5a2d82" in css
    assert "no-cache" in client.get(before)["Cache-Control"]  # stale version: not kept
