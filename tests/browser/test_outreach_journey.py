"""The outreach journey of issue 15, in one go: the broker writes a success story of a match
and publishes it once both people it names consented; she opens the newsletter assembled
with that story and a new request, edits it, sends a test to herself, sends it once the
confirmation said who gets it; the mailing page counts up to done by itself; a resident
unsubscribes in one click from the link in the mail she received, without being logged in.
Axe on the pages on the way. Besides: the poster downloads from the printables page with the
new ads and the broker's phone."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from tenants.mailings.models import Subscriber
from tenants.mailings.subscriptions import subscribe_on_paper
from tenants.market.models import Category
from tenants.market.services.ads import place_ad
from tenants.mediations.models import Mediation
from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.people.services.participants import register_participant
from tenants.stories.models import Story
from tests.browser.support import BrowserCast, assert_accessible, in_dutch, log_in, new_broker
from tests.support.cast import PASSWORD
from tests.support.live_server import LiveSite
from tests.support.pdfs import pdf_text
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROKER_EMAIL = "makelaar@buurtpost.test"
RESIDENT_EMAIL = "bewoner@buurtpost.test"  # reads Dutch; unsubscribes
NEIGHBOUR_EMAIL = "neighbour@buurtpost.test"  # reads English; stays
STORY_TITLE = "Fietsen repareren met Karim"
AD_TITLE = "Wie leert mij fietsen?"
SUBJECT = "Nieuws uit de buurt: fietsles gezocht"


@dataclass(frozen=True)
class World:
    neighbourhood: Neighbourhood
    mediation: Mediation


@pytest.fixture(scope="module")
def utrecht(browser_cast: BrowserCast, django_db_blocker: Any) -> Iterator[World]:
    """Committed, so the server thread sees it: a broker; Fatma and Karim, whose mediation
    ended in a match; Karim's offer and Fenna's request of this month; two subscribers, one
    reading Dutch and one English."""
    with django_db_blocker.unblock():
        neighbourhood = Neighbourhood.objects.get(slug=browser_cast.utrecht.slug)
        with tenant_context(neighbourhood):
            admin = User.objects.get(role=Role.ADMIN)
            broker = new_broker(BROKER_EMAIL, invited_by=admin)
            fatma = register_participant(display_name="Fatma", registered_by=broker)
            karim = register_participant(display_name="Karim", registered_by=broker)
            fenna = register_participant(display_name="Fenna", email="fenna@example.org")
            category = Category.objects.order_by("position").first()
            for owner, kind, title, body in (
                (karim, "offer", "Ik repareer fietsen", "Lekke band? Kom langs op zaterdag."),
                (fenna, "request", AD_TITLE, "Ik ben 70 en wil graag leren fietsen."),
            ):
                place_ad(
                    participant=owner,
                    kind=kind,
                    title=title,
                    body=body,
                    category=category,
                    placed_by_broker=broker,
                )
            mediation = start_mediation(
                requester=fatma,
                provider=karim,
                active=True,
                started_on=timezone.localdate() - datetime.timedelta(days=20),
                created_by=broker,
            )
            mediation = set_mediation_status(mediation=mediation, status="match", by=broker)
            for address, language in ((RESIDENT_EMAIL, "nl"), (NEIGHBOUR_EMAIL, "en")):
                subscribe_on_paper(email=address, language=language, agreed=True, by=broker)
    yield World(neighbourhood, mediation)


def _log_in_as_the_broker(page: Page, url: str, world: World) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, url, BROKER_EMAIL, PASSWORD, world.neighbourhood)


def _press(page: Page, name: str, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=re.compile(re.escape(in_dutch(name)))).first.click()


def _write_and_publish_the_story(page: Page, url: str, world: World) -> None:
    page.goto(url)
    page.locator("#id_mediation").select_option(str(world.mediation.pk))
    page.locator("#id_title").fill(STORY_TITLE)
    page.locator("#id_text").fill("Fatma had een kapotte fiets. Karim repareerde hem met haar.")
    assert_accessible(page, "the story form")
    _press(page, "Save")
    expect(page.get_by_role("heading", level=1)).to_have_text(STORY_TITLE)
    # publishing before anyone consented is refused, and says who is missing
    _press(page, "Publish")
    expect(page.get_by_role("alert")).to_contain_text("Fatma")
    for name in ("Fatma", "Karim"):
        with page.expect_navigation():
            label = in_dutch("Record consent of %(name)s") % {"name": name}
            page.get_by_role("button", name=label).click()
    assert_accessible(page, "the story with both consents")
    _press(page, "Publish")
    with tenant_context(world.neighbourhood):
        assert Story.objects.get(title=STORY_TITLE).published_at is not None


def _edit_test_and_send_the_newsletter(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page, "the newsletters")
    _press(page, "Assemble the next issue")
    # the draft holds the story just published and the new request; she edits it
    for title in (STORY_TITLE, AD_TITLE):
        expect(page.locator(f"input[value='{title}']")).to_have_count(1)
    assert_accessible(page, "the newsletter draft")
    page.get_by_label(in_dutch("Subject")).fill(SUBJECT)
    page.get_by_label(in_dutch("Introduction")).fill("Fijn dat u meeleest. Dit vroegen buren.")
    mail.outbox.clear()
    _press(page, "Save and send a test to me")
    expect(page.get_by_text(BROKER_EMAIL).first).to_be_visible()
    (test_mail,) = [m for m in mail.outbox if m.to == [BROKER_EMAIL]]
    assert test_mail.subject == SUBJECT and STORY_TITLE in test_mail.body

    mail.outbox.clear()
    _press(page, "Save and send now")
    # first the confirmation: how many get it and in which language; nothing sent yet
    expect(page).to_have_url(re.compile(r"/send/$"))
    per_language = page.locator("ul.audience li").all_inner_texts()
    assert sum(int(line.split()[0]) for line in per_language) == 2, per_language
    assert not [m for m in mail.outbox if m.to != [BROKER_EMAIL]]
    assert_accessible(page, "the confirmation before sending")
    _press(page, "Send now")
    expect(page).to_have_url(re.compile(r"/mailing/$"))
    # the counts update by themselves until done
    expect(page.locator("#counts-heading")).to_have_text(in_dutch("Done"), timeout=20_000)
    expect(page.locator("[data-count=sent]")).to_have_text("2")
    expect(page.locator("[data-count=failed]")).to_have_text("0")
    assert_accessible(page, "the mailing")


def _the_mail_to(address: str) -> mail.EmailMessage:
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def test_the_broker_publishes_a_story_sends_the_newsletter_and_a_resident_unsubscribes(
    page: Page,
    browser: Browser,
    live_site: LiveSite,
    browser_cast: BrowserCast,
    utrecht: World,
) -> None:
    host = browser_cast.utrecht.host
    _log_in_as_the_broker(page, live_site.url(host, "/accounts/login/"), utrecht)

    _write_and_publish_the_story(page, live_site.url(host, "/broker/stories/new/"), utrecht)
    _edit_test_and_send_the_newsletter(page, live_site.url(host, "/broker/newsletters/"))

    # each reader got her words as she wrote them, the platform's in their own language
    dutch, english = _the_mail_to(RESIDENT_EMAIL), _the_mail_to(NEIGHBOUR_EMAIL)
    assert dutch.subject == english.subject == SUBJECT
    assert f"== {in_dutch('Success stories')} ==" in dutch.body
    assert "== Success stories ==" in english.body
    assert STORY_TITLE in dutch.body and STORY_TITLE in english.body

    # the resident: one click on the link in her mail, in a browser with no session
    link = dutch.extra_headers["List-Unsubscribe"]
    assert dutch.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = re.search(r"https?://[^/]+(/newsletter/unsubscribe/[^>]+)>", link).group(1)
    assert path in dutch.body  # the same link, visible
    resident = browser.new_context(locale="nl-NL")
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
    with tenant_context(utrecht.neighbourhood):
        assert Subscriber.objects.get(email=RESIDENT_EMAIL).status == "unsubscribed"
        assert Subscriber.objects.get(email=NEIGHBOUR_EMAIL).status == "active"


def test_the_broker_downloads_the_poster_with_the_new_ads_and_her_phone(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, utrecht: World
) -> None:
    host = browser_cast.utrecht.host
    _log_in_as_the_broker(page, live_site.url(host, "/accounts/login/"), utrecht)
    page.goto(live_site.url(host, "/broker/printables/"))
    assert_accessible(page, "the printables page")
    with page.expect_download() as download:
        page.get_by_role(
            "button", name=re.compile(re.escape(in_dutch("Download the poster (PDF)")))
        ).click()
    text = pdf_text(open(download.value.path(), "rb").read())  # noqa: SIM115 - read at once
    assert "Ik repareer fietsen" in text and browser_cast.utrecht.phone in text
