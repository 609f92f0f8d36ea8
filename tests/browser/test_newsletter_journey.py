"""The newsletter journey: the broker opens the assembled newsletter, edits it, sends a test
to herself, sends it; the mailing page counts up to done; a resident unsubscribes in one
click from the link in the mail, without being logged in. Axe on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from tenants.mailings.models import MailingSettings, Newsletter, Subscriber
from tenants.mailings.services import subscribe_on_paper
from tenants.market.models import Category
from tenants.market.services.ads import place_ad
from tenants.outbox.models import OutboxBatch
from tenants.people.services.participants import register_participant
from tests.browser.support import BrowserCast, assert_accessible, in_dutch, log_in
from tests.support.cast import PASSWORD, totp_device
from tests.support.live_server import LiveSite
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import accept_invitation, invite_user
from tijdvoorelkaar.accounts.tokens import invitation_tokens
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROKER_EMAIL = "makelaar@nieuwsbrief.test"
RESIDENT_EMAIL = "bewoner@nieuwsbrief.test"
AD_TITLE = "Wie leert mij fietsen?"


def _clear() -> None:
    batches = list(Newsletter.objects.values_list("batch", flat=True))
    Newsletter.objects.all().delete()
    OutboxBatch.objects.filter(pk__in=batches).delete()
    OutboxBatch.objects.filter(name__startswith="newsletter-").delete()
    Subscriber.objects.all().delete()
    MailingSettings.objects.all().delete()


@pytest.fixture(scope="module")
def utrecht(browser_cast: BrowserCast, django_db_blocker: Any) -> Iterator[Neighbourhood]:
    """A broker, a new ad and two subscribers (committed); the newsletters removed after."""
    with django_db_blocker.unblock():
        neighbourhood = Neighbourhood.objects.get(slug=browser_cast.utrecht.slug)
        with tenant_context(neighbourhood):
            _clear()
            admin = User.objects.filter(role=Role.ADMIN).first()
            broker = User.objects.filter(email=BROKER_EMAIL).first() or invite_user(
                email=BROKER_EMAIL, full_name="Makelaar", role=Role.BROKER, invited_by=admin
            )
            if not broker.is_active:
                accept_invitation(
                    user=broker, token=invitation_tokens.make_token(broker), password=PASSWORD
                )
            totp_device(broker)
            owner = register_participant(display_name="Fenna", email="fenna@example.org")
            place_ad(
                participant=owner,
                kind="request",
                title=AD_TITLE,
                body="Ik ben 70 en wil graag leren fietsen. Wie heeft geduld?",
                category=Category.objects.order_by("position").first(),
                placed_by_broker=broker,
            )
            for address in (RESIDENT_EMAIL, "buurman@nieuwsbrief.test"):
                subscribe_on_paper(email=address, language="nl", agreed=True, by=broker)
    yield neighbourhood
    with django_db_blocker.unblock(), tenant_context(neighbourhood):
        _clear()


def _press(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(re.escape(in_dutch(name)))).first.click()


def test_the_broker_sends_the_newsletter_and_a_resident_unsubscribes_in_one_click(
    page: Page,
    browser: Browser,
    live_site: LiveSite,
    browser_cast: BrowserCast,
    utrecht: Neighbourhood,
) -> None:
    host = browser_cast.utrecht.host
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_site.url(host, "/accounts/login/"), BROKER_EMAIL, PASSWORD, utrecht)

    page.goto(live_site.url(host, "/broker/newsletters/"))
    assert_accessible(page, "newsletters")
    _press(page, "Assemble the next issue")
    # the draft holds the new ad; the broker edits it
    expect(page.locator(f"input[value='{AD_TITLE}']")).to_have_count(1)
    assert_accessible(page, "newsletter draft")
    page.get_by_label(in_dutch("Subject")).fill("Nieuws uit de buurt: fietsles gezocht")
    page.get_by_label(in_dutch("Introduction")).fill("Fijn dat u meeleest. Dit vroegen buren.")
    mail.outbox.clear()
    _press(page, "Save and send a test to me")
    expect(page.get_by_text(BROKER_EMAIL).first).to_be_visible()
    test_mails = [m for m in mail.outbox if m.to == [BROKER_EMAIL]]
    assert len(test_mails) == 1 and test_mails[0].subject == "Nieuws uit de buurt: fietsles gezocht"

    mail.outbox.clear()
    _press(page, "Save and send now")
    expect(page).to_have_url(re.compile(r"/mailing/$"))
    # the counts update by themselves until done
    expect(page.locator("#counts-heading")).to_have_text(in_dutch("Done"), timeout=20_000)
    expect(page.locator("[data-count=sent]")).to_have_text("2")
    expect(page.locator("[data-count=failed]")).to_have_text("0")
    assert_accessible(page, "mailing")

    # the resident's mail: one click on its unsubscribe link, in a browser with no session
    message = next(m for m in mail.outbox if m.to == [RESIDENT_EMAIL])
    link = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = re.search(r"https?://[^/]+(/newsletter/unsubscribe/[^>]+)>", link).group(1)
    assert path in message.body  # the same link, visible
    resident = browser.new_context()
    try:
        their_page = resident.new_page()
        their_page.goto(live_site.url(host, path))
        assert_accessible(their_page, "unsubscribe")
        _press(their_page, "Unsubscribe")
        expect(their_page.get_by_role("heading", level=1)).to_have_text(
            in_dutch("You are unsubscribed")
        )
    finally:
        resident.close()
    with tenant_context(utrecht):
        assert Subscriber.objects.get(email=RESIDENT_EMAIL).status == "unsubscribed"
        assert Subscriber.objects.get(email="buurman@nieuwsbrief.test").status == "active"
