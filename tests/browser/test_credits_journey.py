"""The credits journey in Utrecht Zuid (credits on, "Roosjes"): the broker rewards three
volunteers of an organisation with 2 Roosjes each (one background job, its progress on the
page), a volunteer sees them on their own page; then the admin switches credits off and no
page shows them any more. Fenna, a member of the organisation, rewards two of its volunteers
herself from her own page. (Offers and vouchers, the rest of the issue's journey, come with
their pages.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import ngettext
from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from tenants.credits.models import Transfer
from tenants.organisations.services import create_organisation
from tenants.people.models import ParticipantLink
from tenants.people.services.links import issue_link
from tenants.people.services.participants import register_participant
from tests.browser.support import BrowserCast, assert_accessible, in_dutch, log_in
from tests.support.cast import PASSWORD, activate, totp_device
from tests.support.credits import set_credits
from tests.support.live_server import LiveSite
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import accept_invitation, invite_user
from tijdvoorelkaar.accounts.tokens import invitation_tokens
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROKER_EMAIL = "makelaar@roosjes.test"


@pytest.fixture(scope="module")
def world(browser_cast: BrowserCast, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """A broker, the admin, an organisation with three volunteers (committed); credits are
    switched on again afterwards for the other browser tests."""
    with django_db_blocker.unblock():
        neighbourhood = Neighbourhood.objects.get(slug=browser_cast.utrecht.slug)
        assert neighbourhood.credits_enabled
        with tenant_context(neighbourhood):
            admin = activate(User.objects.get(role=Role.ADMIN))
            totp_device(admin)
            broker = invite_user(
                email=BROKER_EMAIL, full_name="Makelaar", role=Role.BROKER, invited_by=admin
            )
            accept_invitation(
                user=broker, token=invitation_tokens.make_token(broker), password=PASSWORD
            )
            totp_device(broker)
            volunteers = [
                register_participant(display_name=name, email=f"{name.lower()}@example.org")
                for name in ("Fenna", "Gijs", "Hanneke")
            ]
            club = create_organisation(by=broker, name="Speeltuin De Roos")
            club.members.add(*volunteers)
            sign_in = issue_link(participant=volunteers[0], purpose=ParticipantLink.Purpose.SIGN_IN)
    yield {
        "neighbourhood": neighbourhood,
        "admin": admin,
        "volunteers": volunteers,
        "club": club,
        "sign_in": sign_in,
    }
    with django_db_blocker.unblock():
        set_credits(neighbourhood, admin, credits_enabled=True)


def _click(page: Page, name: str, role: str = "link") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=re.compile(re.escape(in_dutch(name)))).first.click()


def test_an_organisation_rewards_three_volunteers_then_credits_are_switched_off(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, world: dict[str, Any]
) -> None:
    host = browser_cast.utrecht.host
    neighbourhood = world["neighbourhood"]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_site.url(host, "/accounts/login/"), BROKER_EMAIL, PASSWORD, neighbourhood)

    # The workspace menu carries the neighbourhood's own name for its credits.
    page.goto(live_site.url(host, "/broker/"))
    _click(page, "Roosjes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roosjes")
    assert_accessible(page, "the credits overview")
    _click(page, "Reward volunteers")
    page.locator("#id_organisation").select_option(label="Speeltuin De Roos")
    numbers = " ".join(str(p.pk) for p in world["volunteers"])
    page.locator("#id_recipients").fill(numbers)
    page.locator("#id_amount_each").fill("2")
    page.locator("#id_description").fill("Zomerfeest opgebouwd")
    assert_accessible(page, "the reward form")
    _click(page, "Give the reward", role="button")
    status = page.locator("#reward-status")
    with translation.override("nl"):
        done = ngettext(
            "Done: %(total)s person rewarded.", "Done: %(total)s people rewarded.", 3
        ) % {"total": 3}
    expect(status).to_contain_text(done)
    assert_accessible(page, "the reward's progress")
    with tenant_context(neighbourhood):
        reward = Transfer.objects.get(description="Zomerfeest opgebouwd")
        assert reward.movements.count() == 4

    # Fenna, signed in by the link from her mail, sees her 2 Roosjes on a phone.
    resident = page.context.browser.new_context(viewport={"width": 375, "height": 800})
    own = resident.new_page()
    own.goto(live_site.url(host, f"/ads/sign-in/{world['sign_in']}/"))
    with own.expect_navigation():
        own.get_by_role("main").get_by_role("button").click()
    own.goto(live_site.url(host, "/credits/mine/"))
    expect(own.locator(".balance")).to_contain_text("2 Roosjes")
    assert own.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert_accessible(own, "the resident's statement")

    # Fenna is a member of the playground: she rewards two of its volunteers herself.
    with own.expect_navigation():
        own.get_by_role("link", name=re.compile("Speeltuin De Roos")).click()
    own.get_by_label("Gijs").check()
    own.get_by_label("Hanneke").check()
    own.locator("#id_amount_each").fill("1")
    own.locator("#id_description").fill("Opruimen na het feest")
    assert own.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert_accessible(own, "the member's reward form")
    with own.expect_navigation():
        own.get_by_role("button", name=in_dutch("Give the reward")).click()
    with translation.override("nl"):
        two = ngettext(
            "Done: %(total)s person rewarded.", "Done: %(total)s people rewarded.", 2
        ) % {"total": 2}
    expect(own.locator("#reward-status")).to_contain_text(two)
    assert_accessible(own, "the member's reward progress")
    with tenant_context(neighbourhood):
        by_member = Transfer.objects.get(description="Opruimen na het feest")
        assert by_member.movements.count() == 3

    # The admin switches credits off: no page shows them, their pages are gone.
    admin = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    manage = admin.new_page()
    log_in(
        manage,
        live_site.url(host, "/accounts/login/"),
        world["admin"].email,
        PASSWORD,
        neighbourhood,
    )
    manage.goto(live_site.url(host, "/manage/settings/"))
    manage.get_by_label(in_dutch("Use time credits")).uncheck()
    _click(manage, "Save settings", role="button")
    for path in ("/broker/", f"/broker/participants/{world['volunteers'][0].pk}/", "/manage/"):
        manage.goto(live_site.url(host, path))
        assert "Roosje" not in manage.content(), path
    response = manage.goto(live_site.url(host, "/broker/credits/"))
    assert response is not None and response.status == 404
    own.goto(live_site.url(host, "/ads/mine/"))
    assert "Roosje" not in own.content()
    assert own.goto(live_site.url(host, "/credits/mine/")).status == 404
    resident.close()
    admin.close()
