"""The main menu shows what fits the visitor's state: a resident signed in by a link gets
their ads and a way out, not the staff login."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation
from django_tenants.utils import tenant_context

from tests.support.factories import published_ad
from tests.support.outbox import link_in, mails_to

pytestmark = pytest.mark.django_db

EMAIL = "bewoner@example.org"


def _menu(client: Client, path: str = "/") -> str:
    html = client.get(path).content.decode()
    found = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert found, html[:200]
    return found.group(0)


def _dutch(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def test_a_resident_signed_in_by_a_link_sees_their_ads_and_sign_out_not_log_in(cast) -> None:
    client = cast.a.client()
    anonymous = _menu(client)
    assert 'href="/accounts/login/"' in anonymous and 'href="/ads/mine/"' not in anonymous

    with tenant_context(cast.a.neighbourhood):
        published_ad(email=EMAIL)
        client.post("/ads/sign-in/", {"email": EMAIL})
        client.get(link_in(mails_to(EMAIL)[-1].body, "/ads/sign-in/"))
    assert client.post("/ads/sign-in/confirm/").status_code == 302

    signed_in = _menu(client, "/ads/")
    assert 'href="/ads/mine/"' in signed_in
    assert 'href="/accounts/login/"' not in signed_in
    assert 'action="/ads/sign-out/"' in signed_in and _dutch("Sign out") in signed_in

    client.post("/ads/sign-out/")
    assert 'href="/accounts/login/"' in _menu(client)
    assert 'href="/ads/mine/"' not in _menu(client)
