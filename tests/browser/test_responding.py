"""A second resident responds to an offer through the form; the owner receives the relayed
message without the responder's address. axe-core on the respond and report forms (and the
owner's reply page) in both demo themes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from tenants.market.models import Ad, AdStatus, Category
from tenants.market.services.ads import confirm_ad, place_ad
from tenants.market.services.moderation import approve_ad
from tenants.outbox.models import OutboxMessage
from tenants.people.services.participants import participant_for_contact
from tests.browser.support import BrowserCast, Site, assert_accessible, in_dutch
from tests.support.live_server import LiveSite
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

OWNER = "ans.tuin@example.org"
RESPONDER = "bert.buurman@example.org"
MESSAGE = "Ik kan zaterdagochtend komen helpen met snoeien."


def _place_offer(site: Site) -> int:
    with tenant_context(Neighbourhood.objects.get(slug=site.slug)):
        owner = participant_for_contact(display_name="Ans", email=OWNER)
        ad = place_ad(
            participant=owner,
            kind="offer",
            title="Hulp bij snoeien en harken",
            body="Ik snoei uw heg en hark de bladeren, op zaterdag.",
            category=Category.objects.get(slug="tuin"),
        )
        ad = confirm_ad(ad=ad)
        if ad.status == AdStatus.AWAITING_APPROVAL:  # Breda moderates before publishing
            ad = approve_ad(ad=ad, by=User.objects.get(role=Role.ADMIN))
        return ad.pk


@pytest.fixture(scope="module")
def offers(browser_cast: BrowserCast, django_db_blocker: Any) -> dict[str, int]:
    """A published offer in each e2e neighbourhood, committed for the server thread."""
    with django_db_blocker.unblock():
        return {
            site.slug: _place_offer(site) for site in (browser_cast.utrecht, browser_cast.breda)
        }


def test_a_resident_responds_and_the_owner_gets_the_message(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, offers: dict[str, int]
) -> None:
    site = browser_cast.utrecht
    ad_id = offers[site.slug]
    page.goto(live_site.url(site.host, f"/ads/{ad_id}/respond/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hulp bij snoeien en harken")
    expect(page.locator(f"text={OWNER}")).to_have_count(0)

    # First without a message: the error summary links to the field.
    page.get_by_label(in_dutch("Your name")).fill("Bert")
    page.get_by_label(in_dutch("Your e-mail address")).fill(RESPONDER)
    page.get_by_role("button", name=in_dutch("Send my message")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label(in_dutch("Your message"))).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the respond form showing errors")

    page.get_by_label(in_dutch("Your message")).fill(MESSAGE)
    page.get_by_role("button", name=in_dutch("Send my message")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        in_dutch("Your message was passed on")
    )
    assert_accessible(page, "the confirmation after responding")

    with tenant_context(Neighbourhood.objects.get(slug=site.slug)):
        [relayed] = OutboxMessage.objects.filter(to=OWNER, purpose="market.response")
    assert MESSAGE in relayed.body and "Bert" in relayed.body
    assert RESPONDER not in relayed.body and RESPONDER not in relayed.subject

    # The owner follows the reply link: the page shows the message, not the address.
    reply_path = re.search(r"/responses/\S+/reply/", relayed.body).group(0)  # type: ignore[union-attr]
    page.goto(live_site.url(site.host, reply_path))
    expect(page.get_by_role("main")).to_contain_text(MESSAGE)
    expect(page.get_by_role("main")).not_to_contain_text(RESPONDER)
    assert_accessible(page, "the owner's reply page")


@pytest.mark.parametrize("which", ["utrecht", "breda"])
def test_the_respond_and_report_forms_are_accessible_in_both_themes(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, offers: dict[str, int], which: str
) -> None:
    site: Site = getattr(browser_cast, which)
    ad_id = offers[site.slug]
    page.goto(live_site.url(site.host, f"/ads/{ad_id}/respond/"))
    expect(page.locator("body")).to_have_class(f"theme-{site.theme}")
    assert_accessible(page, f"the respond form of {site.name}")

    page.goto(live_site.url(site.host, f"/ads/{ad_id}/report/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hulp bij snoeien en harken")
    assert_accessible(page, f"the report form of {site.name}")
    page.get_by_label(in_dutch("Commercial or paid work")).check()
    page.get_by_role("button", name=in_dutch("Send report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Thank you for your report"))
    with tenant_context(Neighbourhood.objects.get(slug=site.slug)):
        assert Ad.objects.get(pk=ad_id).reports.filter(reason="commercial").exists()
