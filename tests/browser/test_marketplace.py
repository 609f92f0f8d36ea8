"""The marketplace in Chromium: a resident without an account places an offer, confirms it
through the link in the mail, answers the reciprocity question with a request; another visitor
finds the offer by searching a word from its text and responds; the owner gets her message by
mail through the outbox. axe-core on the home page, the list, an ad
and the form in both demo themes, also at a phone's width."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from tenants.market.demo import add_demo_data
from tenants.market.models import Ad, AdStatus, ReciprocityPrompt
from tenants.outbox.models import OutboxMessage
from tests.browser.support import (
    PHONE,
    BrowserCast,
    Site,
    assert_accessible,
    in_dutch,
)
from tests.support.cast import PASSWORD
from tests.support.live_server import LiveSite
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

NO_HORIZONTAL_SCROLL_JS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(scope="module")
def market(browser_cast: BrowserCast, django_db_blocker: Any) -> BrowserCast:
    """Both neighbourhoods with the demo ads (a broker approves what needs it), committed."""
    with django_db_blocker.unblock():
        for site in (browser_cast.utrecht, browser_cast.breda):
            neighbourhood = Neighbourhood.objects.get(slug=site.slug)
            with tenant_context(neighbourhood):
                User.objects.create_user(
                    f"makelaar@{site.slug}.test", PASSWORD, full_name="Makelaar", role=Role.BROKER
                )
                add_demo_data(neighbourhood)
    return browser_cast


def _mail_link(site: Site, live_site: LiveSite, to: str) -> str:
    neighbourhood = Neighbourhood.objects.get(slug=site.slug)
    with tenant_context(neighbourhood):
        body = OutboxMessage.objects.filter(to=to, purpose="market.confirm_ad").latest("id").body
    found = re.search(r"https?://\S+/ads/confirm/\S+/", body)
    assert found, body
    return live_site.url(site.host, urlsplit(found.group(0)).path)


def test_a_resident_places_an_offer_confirms_it_and_adds_a_request(
    page: Page, browser: Browser, live_site: LiveSite, market: BrowserCast
) -> None:
    site = market.utrecht
    page.goto(live_site.url(site.host, "/"))
    page.get_by_role("link", name=in_dutch("Place an ad")).first.click()
    page.get_by_label(in_dutch("An offer: I would like to help")).check()
    page.get_by_label(in_dutch("Title")).fill("Ik repareer fietsbanden")
    page.get_by_label(in_dutch("What is it about?")).fill(
        "Een lekke band of losse ketting? Ik plak en smeer graag, met eigen gereedschap."
    )
    page.get_by_label(in_dutch("Category")).select_option(index=1)
    page.get_by_label(in_dutch("Your name as others will see it")).fill("Wim")
    page.get_by_label(in_dutch("E-mail address")).fill("wim@example.org")
    page.get_by_role("button", name=in_dutch("Place my ad")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Check your mail"))

    page.goto(_mail_link(site, live_site, "wim@example.org"))
    page.get_by_role("button", name=in_dutch("Confirm my ad")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Your ad is on the site"))
    expect(page.get_by_role("heading", level=2)).to_have_text(
        in_dutch("And do you also have a request?")
    )
    page.get_by_role("link", name=in_dutch("Yes, place a request")).click()
    expect(page.get_by_label(in_dutch("A request: I am looking for help"))).to_be_checked()
    expect(page.get_by_label(in_dutch("E-mail address"))).to_have_count(0)
    page.get_by_label(in_dutch("Title")).fill("Wie helpt mij met mijn belastingaangifte?")
    page.get_by_label(in_dutch("What is it about?")).fill("Ik kom er met de formulieren niet uit.")
    page.get_by_label(in_dutch("Category")).select_option(index=2)
    page.get_by_role("button", name=in_dutch("Place my ad")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wie helpt mij met mijn belastingaangifte?"
    )
    with tenant_context(Neighbourhood.objects.get(slug=site.slug)):
        offer = Ad.objects.get(title="Ik repareer fietsbanden")
        assert offer.status == AdStatus.PUBLISHED
        prompt = ReciprocityPrompt.objects.get(source_ad=offer)
        assert prompt.taken_ad is not None and prompt.taken_ad.kind == "request"

    visitor = browser.new_context(locale="nl-NL")
    try:
        other = visitor.new_page()
        other.goto(live_site.url(site.host, "/ads/"))
        other.get_by_label(in_dutch("Search for")).fill("ketting")
        other.get_by_role("button", name=in_dutch("Search"), exact=True).click()
        other.get_by_role("link", name="Ik repareer fietsbanden").click()
        expect(other.get_by_role("heading", level=1)).to_have_text("Ik repareer fietsbanden")
        expect(other.get_by_role("link", name="Wim")).to_be_visible()
        # She responds; Wim gets her message by mail, without her address in it.
        other.get_by_role("link", name=re.compile(in_dutch("Respond"))).first.click()
        other.get_by_label(in_dutch("Your name")).fill("Fatma")
        other.get_by_label(in_dutch("Your e-mail address")).fill("fatma@example.org")
        other.get_by_label(in_dutch("Your message")).fill("Mijn achterband is lek. Zaterdag?")
        other.get_by_role("button", name=in_dutch("Send my message")).click()
        expect(other.get_by_role("heading", level=1)).to_be_visible()
    finally:
        visitor.close()
    with tenant_context(Neighbourhood.objects.get(slug=site.slug)):
        [relayed] = OutboxMessage.objects.filter(to="wim@example.org", purpose="market.response")
        assert "Mijn achterband is lek. Zaterdag?" in relayed.body
        assert "fatma@example.org" not in relayed.body


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_marketplace_pages_are_accessible_in_both_themes(
    browser: Browser, live_site: LiveSite, market: BrowserCast, viewport: Any
) -> None:
    context = browser.new_context(locale="nl-NL", **({"viewport": viewport} if viewport else {}))
    try:
        page = context.new_page()
        for site in (market.utrecht, market.breda):
            page.goto(live_site.url(site.host, "/"))
            expect(page.locator("body")).to_have_class(re.compile(f"theme-{site.theme}"))
            assert_accessible(page, f"the home page of {site.name}")
            page.goto(live_site.url(site.host, "/ads/"))
            assert_accessible(page, f"the list of {site.name}")
            page.locator(".ad-card h3 a").first.click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(page, f"an ad in {site.name}")
            page.goto(live_site.url(site.host, "/ads/new/"))
            page.get_by_role("button", name=in_dutch("Place my ad")).click()  # errors shown
            assert_accessible(page, f"the form with errors in {site.name}")
            if viewport:
                assert page.evaluate(NO_HORIZONTAL_SCROLL_JS), f"{site.name} scrolls sideways"
    finally:
        context.close()
