"""Time credits change hands: a resident signed in by a link redeems a shop's offer; the
broker prints a sheet of paper vouchers (a PDF download) and the shop enters one of its
codes. Every page passes axe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from tenants.credits.models import Account, Redemption, Voucher
from tenants.credits.offers import create_offer
from tenants.credits.selectors import balance
from tenants.credits.services import reward_participants
from tenants.organisations.services import add_organisation_member, create_organisation
from tenants.people.models import ParticipantLink
from tenants.people.services.links import issue_link
from tenants.people.services.participants import register_participant
from tests.browser.support import BrowserCast, assert_accessible, in_dutch, log_in, new_broker
from tests.support.cast import PASSWORD
from tests.support.live_server import LiveSite
from tests.support.pdfs import pdf_text
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROKER_EMAIL = "makelaar@roosjes.test"
SHOP_EMAIL = "bakker@roosjes.test"
CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


@pytest.fixture(scope="module")
def world(browser_cast: BrowserCast, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Utrecht's copy (credits on): a broker, a baker's shop with a member and an offer,
    and Fatima with 3 Roosjes and a sign-in link (committed)."""
    with django_db_blocker.unblock():
        neighbourhood = Neighbourhood.objects.get(slug=browser_cast.utrecht.slug)
        with tenant_context(neighbourhood):
            admin = User.objects.get(role=Role.ADMIN)
            broker = new_broker(BROKER_EMAIL, invited_by=admin)
            shop = create_organisation(by=broker, name="Bakkerij De Roos", kind="shop")
            baker = User.objects.create_user(
                SHOP_EMAIL, PASSWORD, full_name="Bakker", role=Role.ORGANISATION
            )
            member = register_participant(display_name="Bakker Bram", email=SHOP_EMAIL)
            member.user = baker
            member.save(update_fields=["user"])
            add_organisation_member(organisation=shop, participant=member, by=broker)
            create_offer(provider=shop, title="Krentenbol", price=Decimal(2), by=broker)
            fatima = register_participant(display_name="Fatima", email="fatima@example.org")
            reward_participants(
                recipients=[fatima], amount_each=Decimal(3), by=broker, description="Kerst"
            )
            link = issue_link(participant=fatima, purpose=ParticipantLink.Purpose.SIGN_IN)
    yield {"neighbourhood": neighbourhood, "shop": shop, "fatima": fatima, "link": link}


def _click(page: Page, name: str, role: str = "link") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=re.compile(re.escape(in_dutch(name)))).first.click()


def test_a_resident_redeems_and_a_shop_takes_a_paper_voucher(
    page: Page,
    browser: Browser,
    live_site: LiveSite,
    browser_cast: BrowserCast,
    world: dict[str, Any],
) -> None:
    host = browser_cast.utrecht.host
    neighbourhood = world["neighbourhood"]

    # Fatima opens the link from her mail and redeems the baker's offer.
    page.goto(live_site.url(host, f"/ads/sign-in/{world['link']}/"))
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button").click()
    page.goto(live_site.url(host, "/credits/offers/"))
    expect(page.get_by_role("heading", name="Krentenbol")).to_be_visible()
    assert_accessible(page, "the offers")
    _click(page, "Redeem")
    assert_accessible(page, "redeeming an offer")
    _click(page, "Redeem", role="button")
    expect(page.get_by_text("Krentenbol").first).to_be_visible()
    with tenant_context(neighbourhood):
        redemption = Redemption.objects.get(participant=world["fatima"])
        assert redemption.offer.title == "Krentenbol"
        assert balance(Account.objects.get(participant=world["fatima"])) == 1

    # The broker prints a sheet of two vouchers: the answer is the PDF.
    broker = browser.new_context(locale="nl-NL").new_page()
    log_in(broker, live_site.url(host, "/accounts/login/"), BROKER_EMAIL, PASSWORD, neighbourhood)
    broker.goto(live_site.url(host, "/broker/credits/vouchers/"))
    assert_accessible(broker, "the vouchers page")
    broker.get_by_label(in_dutch("Number of vouchers")).fill("2")
    broker.get_by_label(in_dutch("Value of each voucher")).fill("1")
    broker.get_by_label(in_dutch("What they are for")).fill("Voor wie niet online is")
    with broker.expect_download() as download:
        broker.get_by_role("button", name=in_dutch("Print (PDF)")).click()
    codes = CODE.findall(pdf_text(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert len(codes) == 2
    broker.context.close()

    # The baker scans one: the code is filled in; they choose the shop and hand it in.
    shop = browser.new_context(locale="nl-NL").new_page()
    log_in(shop, live_site.url(host, "/accounts/login/"), SHOP_EMAIL, PASSWORD, neighbourhood)
    shop.goto(live_site.url(host, f"/credits/vouchers/redeem/?code={codes[0]}"))
    expect(shop.get_by_label(in_dutch("Code on the voucher"))).to_have_value(codes[0])
    shop.get_by_label(in_dutch("Received by")).select_option(label="Bakkerij De Roos")
    assert_accessible(shop, "handing in a voucher")
    _click(shop, "Hand in", role="button")
    expect(shop.get_by_role("status")).to_contain_text("Roosjes")
    # The same code again says when and where it was used.
    shop.get_by_label(in_dutch("Code on the voucher")).fill(codes[0])
    shop.get_by_label(in_dutch("Received by")).select_option(label="Bakkerij De Roos")
    _click(shop, "Hand in", role="button")
    expect(shop.get_by_role("main")).to_contain_text("Bakkerij De Roos")
    assert_accessible(shop, "a code used twice")
    shop.context.close()
    with tenant_context(neighbourhood):
        assert Voucher.objects.filter(redeemed_at__isnull=False).count() == 1
        shop_account = Account.objects.get(organisation=world["shop"], kind="organisation")
        assert balance(shop_account) == 3  # the Krentenbol's 2 and the voucher's 1
