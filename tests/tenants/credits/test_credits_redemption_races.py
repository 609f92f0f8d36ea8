"""Redemptions and hand-ins racing on a real PostgreSQL connection each: the last of an
offer's stock goes to one person only, a balance is never overdrawn, a voucher code is
handed in once. The work commits (docs/testing.md); the fixture removes what it made."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import tenant_context

from tenants.credits.models import (
    Account,
    Offer,
    Redemption,
    Voucher,
)
from tenants.credits.offers import create_offer, redeem_offer
from tenants.credits.selectors import balance
from tenants.credits.services import reward_participants
from tenants.credits.vouchers import print_vouchers, redeem_voucher
from tenants.organisations.services import create_organisation
from tests.support import factories
from tests.support.credits import assert_ledger_invariants, assert_vouchers_backed
from tests.support.races import RACE_PREFIX, race

D = Decimal
RACERS = 20
PREFIX = RACE_PREFIX


@pytest.mark.django_db  # also makes pytest-django create the test database for this file
def test_a_redemption_locks_the_offer_before_the_accounts(cast, credits_on, ledger) -> None:
    from django.test.utils import CaptureQueriesContext

    with tenant_context(cast.a.neighbourhood):
        reward_participants(
            recipients=[ledger.ans], amount_each=D(3), by=cast.a.broker.user, description="x"
        )
        offer = create_offer(
            provider=ledger.scouting, title="Thee", price=D(1), by=cast.a.broker.user
        )
        with CaptureQueriesContext(connection) as queries:
            redeem_offer(offer=offer, participant=ledger.ans, by=None)
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert [("credits_offer" in sql, "credits_account" in sql) for sql in locks] == [
        (True, False),
        (False, True),
    ]


def test_the_last_of_the_stock_goes_to_one_person_only(cast, committed) -> None:
    place = cast.a
    with tenant_context(place.neighbourhood):
        people = [factories.participant(f"{PREFIX}{i}") for i in range(RACERS)]
        reward_participants(
            recipients=people, amount_each=D(5), by=place.broker.user, description="Start"
        )
        shop = create_organisation(by=place.broker.user, name=f"{PREFIX}Bakkerij")
        offer = create_offer(
            provider=shop, title="Taart", price=D(2), stock=3, by=place.broker.user
        )

    def take(i: int) -> object:
        with tenant_context(place.neighbourhood):
            return redeem_offer(offer=offer, participant=people[i], by=None)

    outcomes = race(RACERS, take)

    made = [o for o in outcomes if isinstance(o, Redemption)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(made), len(refused)) == (3, RACERS - 3), outcomes
    assert all("sold out" in r.message_dict["offer"][0] for r in refused)
    with tenant_context(place.neighbourhood):
        assert Offer.objects.get(pk=offer.pk).stock == 0
        assert balance(Account.objects.get(organisation=shop, kind="organisation")) == D(6)
        assert_ledger_invariants()


def test_concurrent_redemptions_never_overdraw_one_balance(cast, committed) -> None:
    place = cast.a
    with tenant_context(place.neighbourhood):
        ans = factories.participant(f"{PREFIX}Ans")
        reward_participants(
            recipients=[ans], amount_each=D(5), by=place.broker.user, description="Start"
        )
        shop = create_organisation(by=place.broker.user, name=f"{PREFIX}Buurthuis")
        offer = create_offer(provider=shop, title="Thee", price=D(1), by=place.broker.user)

    def take(_i: int) -> object:
        with tenant_context(place.neighbourhood):
            return redeem_offer(offer=offer, participant=ans, by=None)

    outcomes = race(RACERS, take)

    assert sum(isinstance(o, Redemption) for o in outcomes) == 5
    with tenant_context(place.neighbourhood):
        assert balance(Account.objects.get(participant=ans)) == 0
        assert_ledger_invariants()


def test_one_code_entered_at_many_counters_at_once_is_handed_in_once(cast, committed) -> None:
    place = cast.a
    with tenant_context(place.neighbourhood):
        shop = create_organisation(by=place.broker.user, name=f"{PREFIX}Winkel")
        printed = print_vouchers(count=2, value=D(2), by=place.broker.user, description="Kerst")

    def hand_in(_i: int) -> object:
        with tenant_context(place.neighbourhood):
            return redeem_voucher(code=printed.codes[0], by=None, organisation=shop)

    outcomes = race(8, hand_in)

    assert sum(isinstance(o, Voucher) for o in outcomes) == 1, outcomes
    with tenant_context(place.neighbourhood):
        assert balance(Account.objects.get(organisation=shop, kind="organisation")) == D(2)
        assert_ledger_invariants()
        assert_vouchers_backed()
