"""A broker's first login: password, set up the authenticator app, save the recovery codes;
then a later login with the code step. Each step's page is checked with axe-core."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django_otp.oath import totp
from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from tests.browser.support import BrowserCast, assert_accessible, in_dutch, log_in
from tests.support.cast import PASSWORD
from tests.support.live_server import LiveSite
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def broker(browser_cast: BrowserCast, django_db_blocker: Any) -> tuple[str, Neighbourhood]:
    """A broker of the Utrecht copy without an authenticator yet (committed; it goes when
    the module's neighbourhoods are removed)."""
    email = "makelaar@browser.test"
    with django_db_blocker.unblock():
        neighbourhood = Neighbourhood.objects.get(slug=browser_cast.utrecht.slug)
        with tenant_context(neighbourhood):
            User.objects.create_user(email, PASSWORD, role=Role.BROKER, full_name="Makelaar")
    return email, neighbourhood


def test_a_broker_sets_up_two_step_login_and_uses_it(
    page: Page,
    live_site: LiveSite,
    browser_cast: BrowserCast,
    broker: tuple[str, Neighbourhood],
) -> None:
    email, neighbourhood = broker
    host = browser_cast.utrecht.host
    page.goto(live_site.url(host, "/accounts/login/?next=/accounts/security/"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=in_dutch("Log in")).click()

    # Step 1: the QR code with its text alternative, and the key as text.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        in_dutch("Set up two-step verification")
    )
    expect(page.get_by_role("img", name=re.compile("QR"))).to_be_visible()
    assert_accessible(page, "the two-step set-up page")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))

    # A wrong code first: the error sits at the field.
    page.get_by_label(in_dutch("Code from the app")).fill("000000")
    page.get_by_role("button", name=in_dutch("Turn on")).click()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the set-up page showing an error")
    page.get_by_label(in_dutch("Code from the app")).fill(f"{totp(key):06d}")
    page.get_by_role("button", name=in_dutch("Turn on")).click()

    # Step 2: ten recovery codes, shown once.
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Your recovery codes"))
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page, "the recovery codes page")
    page.get_by_role("button", name=in_dutch("I have saved them")).click()
    expect(page).to_have_url(live_site.url(host, "/accounts/security/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Security"))
    assert_accessible(page, "the Security page")

    # Later: log out, log in again, and the code step asks for the app's code.
    page.get_by_role("button", name=in_dutch("Log out")).click()
    log_in(page, live_site.url(host, "/accounts/login/"), email, PASSWORD, neighbourhood)
    expect(page).to_have_url(live_site.url(host, "/"))
    page.goto(live_site.url(host, "/accounts/security/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Security"))
