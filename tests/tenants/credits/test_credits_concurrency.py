"""Transfers racing on a real PostgreSQL connection each: spends from one balance wait for
each other's row lock and never overdraw it, and one idempotency key makes one transfer.

The threads see only committed rows, so this work commits: no test transaction here
(docs/testing.md, "Tests whose work must commit"); the fixture removes what it made."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.credits.models import Account, Transfer
from tenants.credits.selectors import balance
from tenants.credits.services import give_credits, reward_participants
from tests.support import factories
from tests.support.credits import assert_ledger_invariants
from tests.support.races import RACE_PREFIX, race

D = Decimal
SPENDERS = 24
PREFIX = RACE_PREFIX


@pytest.mark.django_db  # also makes pytest-django create the test database for this file
def test_a_transfer_locks_its_accounts_in_the_order_of_their_ids(cast, credits_on, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        reward_participants(
            recipients=[ledger.carla, ledger.ans, ledger.bert],
            amount_each=D(1),
            by=cast.a.broker.user,
            description="Start",
        )
        with CaptureQueriesContext(connection) as queries:
            give_credits(
                giver=ledger.bert, receiver=ledger.ans, amount=D(1), by=None, description="x"
            )
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == 1
    assert 'ORDER BY "credits_account"."id" ASC FOR UPDATE' in locks[0]


def test_concurrent_spends_never_overdraw_one_balance(cast, committed) -> None:
    place = cast.a
    with tenant_context(place.neighbourhood):
        giver = factories.participant(f"{PREFIX}Ans")
        receivers = [factories.participant(f"{PREFIX}{i}") for i in range(4)]
        reward_participants(
            recipients=[giver], amount_each=D(10), by=place.broker.user, description="Start"
        )

    def spend(i: int) -> object:
        with tenant_context(place.neighbourhood):
            return give_credits(
                giver=giver,
                receiver=receivers[i % 4],
                amount=D(1),
                by=place.broker.user,
                description=f"Dank {i}",
            )

    outcomes = race(SPENDERS, spend)

    made = [o for o in outcomes if isinstance(o, Transfer)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(made), len(refused)) == (10, SPENDERS - 10), outcomes
    assert all("balance" in r.message_dict["amount"][0] for r in refused)
    with tenant_context(place.neighbourhood):
        assert balance(Account.objects.get(participant=giver)) == 0
        # A receiver no successful spend reached has no account yet: sum the ones that exist.
        received = Account.objects.filter(participant__in=receivers)
        assert sum(balance(account) for account in received) == D(10)
        assert_ledger_invariants()


def test_a_double_submission_racing_itself_makes_one_transfer(cast, committed) -> None:
    place = cast.a
    with tenant_context(place.neighbourhood):
        volunteers = [factories.participant(f"{PREFIX}{i}") for i in range(3)]

    def submit(i: int) -> object:
        with tenant_context(place.neighbourhood):
            return reward_participants(
                recipients=volunteers,
                amount_each=D(2),
                by=place.broker.user,
                description="Kerstactie",
                idempotency_key="kerst-2026",
            )

    outcomes = race(8, submit)

    assert {o.pk for o in outcomes} == {outcomes[0].pk}, outcomes  # type: ignore[attr-defined]
    with tenant_context(place.neighbourhood):
        assert Transfer.objects.count() == 1
        assert [balance(Account.objects.get(participant=v)) for v in volunteers] == [D(2)] * 3
        assert_ledger_invariants()
