"""The broker's outreach journey: write a success story of a match, record the consent of
both people it names, publish it; the neighbourhood's home page shows it; then download the
poster to print (its text read back)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from tenants.market.models import Category
from tenants.market.services.ads import place_ad
from tenants.mediations.models import Mediation
from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.people.services.participants import register_participant
from tenants.stories.models import Story
from tests.browser.support import BrowserCast, assert_accessible, in_dutch, log_in
from tests.support.cast import PASSWORD, totp_device
from tests.support.live_server import LiveSite
from tests.support.pdfs import pdf_text
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import accept_invitation, invite_user
from tijdvoorelkaar.accounts.tokens import invitation_tokens
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROKER_EMAIL = "makelaar@verhalen.test"
TITLE = "Fietsen repareren met Karim"


@pytest.fixture(scope="module")
def breda(browser_cast: BrowserCast, django_db_blocker: Any) -> Iterator[Mediation]:
    """A broker, and a mediation between Fatma and Karim that ended in a match (committed);
    an offer of this month for the poster."""
    with django_db_blocker.unblock():
        neighbourhood = Neighbourhood.objects.get(slug=browser_cast.breda.slug)
        with tenant_context(neighbourhood):
            admin = User.objects.get(role=Role.ADMIN)
            broker = invite_user(
                email=BROKER_EMAIL, full_name="Makelaar", role=Role.BROKER, invited_by=admin
            )
            accept_invitation(
                user=broker, token=invitation_tokens.make_token(broker), password=PASSWORD
            )
            totp_device(broker)
            fatma = register_participant(display_name="Fatma", registered_by=broker)
            karim = register_participant(display_name="Karim", registered_by=broker)
            place_ad(
                participant=karim,
                kind="offer",
                title="Ik repareer fietsen",
                body="Lekke band of losse ketting? Kom langs op zaterdag.",
                category=Category.objects.order_by("position").first(),
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
    yield mediation


def _press(page: Page, name: str, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=re.compile(re.escape(in_dutch(name)))).first.click()


def test_a_broker_publishes_a_story_with_consent_and_prints_the_poster(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, breda: Mediation
) -> None:
    host = browser_cast.breda.host
    neighbourhood = Neighbourhood.objects.get(slug=browser_cast.breda.slug)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_site.url(host, "/accounts/login/"), BROKER_EMAIL, PASSWORD, neighbourhood)

    # Write the story of the match.
    page.goto(live_site.url(host, "/broker/stories/new/"))
    page.locator("#id_mediation").select_option(str(breda.pk))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_text").fill(
        "Fatma had een kapotte fiets. Karim repareerde hem samen met haar."
    )
    assert_accessible(page, "the story form")
    _press(page, "Save")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Publishing before anyone consented is refused, and says who is missing.
    _press(page, "Publish")
    expect(page.get_by_role("alert")).to_contain_text("Fatma")
    assert_accessible(page, "the story with its refusal")

    # Record both consents, then publish.
    for name in ("Fatma", "Karim"):
        label = in_dutch("Record consent of %(name)s") % {"name": name}
        with page.expect_navigation():
            page.get_by_role("button", name=label).click()
    assert_accessible(page, "the story with consents")
    _press(page, "Publish")
    with tenant_context(neighbourhood):
        assert Story.objects.get(title=TITLE).published_at is not None

    # The home page shows it to anyone.
    visitor = page.context.browser.new_page()  # type: ignore[union-attr]
    visitor.goto(live_site.url(host, "/"))
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(visitor, "the home page with a story")
    visitor.close()

    # Download the poster: the offer, its number and the broker's phone on the strips.
    page.goto(live_site.url(host, "/broker/printables/"))
    assert_accessible(page, "the printables page")
    with page.expect_download() as download:
        page.get_by_role(
            "button", name=re.compile(re.escape(in_dutch("Download the poster (PDF)")))
        ).click()
    text = pdf_text(open(download.value.path(), "rb").read())  # noqa: SIM115 - read at once
    assert "Ik repareer fietsen" in text and browser_cast.breda.phone in text
