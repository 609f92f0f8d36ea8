"""The broker's journey: register Mrs Jansen, who has no e-mail, place an offer for her, find
a requester through the suggestions, record an active mediation, and a week later see the
follow-up on the dashboard and mark the mediation a match. Then the workspace menu at 375 px
(folded into "Menu", the skip link past it) and at 1280 px (every link shown)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from tenants.market.models import Ad, AdStatus, Category
from tenants.market.services.ads import place_ad
from tenants.mediations.models import Mediation, MediationStatus
from tenants.people.services.participants import register_participant
from tests.browser.support import BrowserCast, assert_accessible, in_dutch, log_in
from tests.support.cast import PASSWORD, totp_device
from tests.support.live_server import LiveSite
from tijdvoorelkaar.accounts.models import Role
from tijdvoorelkaar.accounts.services import accept_invitation, invite_user
from tijdvoorelkaar.accounts.tokens import invitation_tokens
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROKER_EMAIL = "makelaar@journey.test"
REQUEST_TITLE = "Wie doet er boodschappen met mij?"


@pytest.fixture(scope="module")
def utrecht(browser_cast: BrowserCast, django_db_blocker: Any) -> Iterator[Neighbourhood]:
    """The broker, and Kees, who asked on the site for help with his shopping (committed)."""
    with django_db_blocker.unblock():
        neighbourhood = Neighbourhood.objects.get(slug=browser_cast.utrecht.slug)
        with tenant_context(neighbourhood):
            admin = neighbourhood_admin()
            broker = invite_user(
                email=BROKER_EMAIL, full_name="Makelaar", role=Role.BROKER, invited_by=admin
            )
            accept_invitation(
                user=broker, token=invitation_tokens.make_token(broker), password=PASSWORD
            )
            totp_device(broker)  # committed now: the code step (support.log_in) needs it
            kees = register_participant(display_name="Kees", email="kees@example.org")
            place_ad(
                participant=kees,
                kind="request",
                title=REQUEST_TITLE,
                body="Ik loop slecht. Wie gaat op dinsdag mee boodschappen doen bij de markt?",
                category=Category.objects.get(position=5),  # shopping and transport
                placed_by_broker=broker,
            )
    yield neighbourhood


def neighbourhood_admin() -> Any:
    from tijdvoorelkaar.accounts.models import User

    return User.objects.get(role=Role.ADMIN)


def _click(page: Page, name: str, role: str = "link") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=re.compile(re.escape(in_dutch(name)))).first.click()


def test_a_broker_matches_an_offline_neighbour_and_follows_up(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, utrecht: Neighbourhood
) -> None:
    host = browser_cast.utrecht.host
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_site.url(host, "/accounts/login/"), BROKER_EMAIL, PASSWORD, utrecht)

    # Register Mrs Jansen: a phone number, no e-mail, consent to store her details.
    page.goto(live_site.url(host, "/broker/participants/new/"))
    page.locator("#id_display_name").fill("Mevrouw Jansen")
    page.locator("#id_full_name").fill("Truus Jansen")
    page.locator("#id_phone").fill("030 111 22 33")
    page.locator("input[name=consents][value=registration]").check()
    assert_accessible(page, "the registration form")
    _click(page, "Register", role="button")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mevrouw Jansen")

    # Her details read whole at 1280 px, where the cards stand four in a row: each value as
    # wide as its card (not beside a label column that left it a few characters).
    contact = page.get_by_role("region", name=in_dutch("Contact details"))
    name = contact.get_by_text("Truus Jansen", exact=True)
    assert name.bounding_box()["width"] >= 0.8 * contact.locator("dl").bounding_box()["width"]
    assert name.bounding_box()["height"] < 40  # one line: "Truus Jansen" unbroken
    # Place an offer for her; it is published at once although she has no e-mail.
    assert_accessible(page, "the participant's page")
    _click(page, "Place an ad for them")
    page.locator("input[name=kind][value=offer]").check()
    page.locator("#id_title").fill("Ik ga graag mee boodschappen doen")
    page.locator("#id_body").fill("Op dinsdag en donderdag loop ik mee naar de markt.")
    page.locator("#id_category").select_option(label=in_dutch("Shopping and transport"))
    _click(page, "Place the ad", role="button")
    with tenant_context(utrecht):
        offer = Ad.objects.get(participant__display_name="Mevrouw Jansen")
        assert offer.status == AdStatus.PUBLISHED and offer.placed_by_broker is not None

    # The suggestions for her offer name Kees's request; start the mediation from there.
    _click(page, "Find a match for this ad")
    expect(page.get_by_text(REQUEST_TITLE)).to_be_visible()
    assert_accessible(page, "the suggestions")
    _click(page, "Start mediation")
    # Both sides are prefilled by number; a search for the asker lists them to choose from
    # (no list of all participants), keyboard only, and keeps what was prefilled.
    page.locator("#id_requester_find").fill("Kees")
    page.locator("#id_requester_find").press("Tab")
    page.keyboard.press("Enter")  # the "Find" button next to the search box
    kees = page.get_by_role("radio", name=re.compile("Kees"))
    expect(kees).to_be_checked()
    assert page.locator("#id_provider").input_value() != ""
    assert_accessible(page, "the mediation form with matches")
    _click(page, "Record mediation", role="button")
    with tenant_context(utrecht):
        mediation = Mediation.objects.get(provider__display_name="Mevrouw Jansen")
        assert mediation.active and mediation.requester.display_name == "Kees"
        assert {ad.pk for ad in mediation.ads.all()} >= {offer.pk}

    # A week later the first follow-up (after two weeks) is on the dashboard for this week.
    # The broker logs in again: staff sessions end after half an hour without a request.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7), tick=True):
        page.goto(live_site.url(host, "/broker/"))
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        log_in(page, page.url, BROKER_EMAIL, PASSWORD, utrecht)
        expect(page).to_have_url(re.compile(r"/broker/$"))
        follow_ups = page.get_by_role("region", name=re.compile(in_dutch("Follow-ups this week")))
        assert_accessible(page, "the dashboard")
        follow_ups.get_by_role("link", name="Kees – Mevrouw Jansen").click()
        page.wait_for_url(re.compile(rf"/broker/mediations/{mediation.pk}/$"))
        assert_accessible(page, "the mediation")
        page.locator("input[name=status][value=match]").check()
        _click(page, "Save status", role="button")

    with tenant_context(utrecht):
        mediation.refresh_from_db()
        assert mediation.status == MediationStatus.MATCH
        assert not mediation.follow_ups.filter(done_at__isnull=True).exists()

    # On a phone the workspace menu folds away (one login: a two-step code is used once).
    _the_workspace_menu_folds_on_a_phone_and_the_skip_link_passes_it(page, live_site, host)
    _a_card_moved_by_keyboard_keeps_the_keyboards_place(page, live_site, host)
    _withdrawing_her_registration_asks_first_and_points_to_erasure(
        page, live_site, host, mediation.provider_id
    )


def _the_workspace_menu_folds_on_a_phone_and_the_skip_link_passes_it(
    page: Page, live_site: LiveSite, host: str
) -> None:
    menu = page.get_by_role("navigation", name=in_dutch("Workspace"))
    summary = menu.locator("summary")
    first_link = menu.get_by_role("link").first

    # 375 px: "Menu" only; the page's heading is on the first screen
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(live_site.url(host, "/broker/participants/"))
    expect(summary).to_be_visible()
    expect(first_link).to_be_hidden()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None and heading["y"] + heading["height"] < 700
    assert_accessible(page, "the folded workspace menu")
    # the keyboard opens it
    summary.focus()
    page.keyboard.press("Enter")
    expect(first_link).to_be_visible()
    assert_accessible(page, "the open workspace menu")
    # the skip link lands on the page itself, past the menu
    page.goto(live_site.url(host, "/broker/participants/"))
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#workspace-main")).to_be_focused()

    # 1280 px: every link shown, no "Menu" to press
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(summary).to_be_hidden()
    expect(first_link).to_be_visible()
    expect(menu.get_by_role("link").last).to_be_visible()


def _a_card_moved_by_keyboard_keeps_the_keyboards_place(
    page: Page, live_site: LiveSite, host: str
) -> None:
    """After "Move" the board comes back at the moved card, not at the top of 50 cards."""
    page.goto(live_site.url(host, "/broker/board/"))
    card_id = page.locator(".board-card").first.get_attribute("id")
    card = page.locator(f"#{card_id}")
    select = card.locator("select")
    steps = select.locator("option").evaluate_all("options => options.map(o => o.value)")
    select.select_option(next(step for step in steps if step != select.input_value()))
    select.focus()
    page.keyboard.press("Tab")
    expect(card.get_by_role("button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/broker/board/#{card_id}$"))
    page.keyboard.press("Tab")
    expect(card.locator(".board-card-name a")).to_be_focused()


def _withdrawing_her_registration_asks_first_and_points_to_erasure(
    page: Page, live_site: LiveSite, host: str, participant_id: int
) -> None:
    """On a phone, by keyboard: the withdrawal is asked once more, then the page says what
    is left to do (erase on request) and comes back at the consents."""
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(live_site.url(host, f"/broker/participants/{participant_id}/"))
    withdraw = page.get_by_role(
        "button", name=re.compile(in_dutch("Record withdrawal") + ".*" + "inschrijving")
    )
    withdraw.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mevrouw Jansen")
    expect(page.get_by_text("Wissen op verzoek").first).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert_accessible(page, "the withdrawal's confirmation")
    _click(page, "Record withdrawal", role="button")
    expect(page).to_have_url(re.compile(r"#consent-heading$"))
    expect(page.locator(".messages")).to_contain_text("Wissen op verzoek")
