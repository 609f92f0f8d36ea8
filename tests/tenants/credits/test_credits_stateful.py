"""Hypothesis drives the ledger through generated sequences of rewards, gifts, reversals,
resubmissions, impossible amounts, limit changes and on/off switches, against a model of
what each should do; after every step the ledger's invariants hold and every balance is
what the model says. Each example runs in its own transaction, rolled back at its end."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tenants.credits.models import Transfer
from tenants.credits.services import give_credits, reverse_transfer, reward_participants
from tenants.organisations.services import create_organisation
from tests.support import factories
from tests.support.credits import assert_ledger_invariants, set_credits

pytestmark = pytest.mark.django_db
D = Decimal
PEOPLE = ("Ans", "Bert", "Carla", "Dirk")
AMOUNTS = st.sampled_from([D("0.25"), D("0.5"), D(1), D("1.5"), D(2), D(3), D(5)])
IMPOSSIBLE = st.sampled_from([D(0), D(-1), D("0.1"), D("2.3"), D(101), D("NaN")])
KEYS = st.one_of(st.none(), st.none(), st.sampled_from(["k1", "k2", "k3", "k4", "k5"]))
MIN_STEPS = 1000


def test_the_ledger_keeps_its_invariants_through_generated_steps(cast) -> None:
    place = cast.a
    broker = place.broker.user
    steps: list[str] = []

    class LedgerMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.schema = tenant_context(place.neighbourhood)
            self.schema.__enter__()
            self.example = transaction.atomic()
            self.example.__enter__()
            set_credits(place.neighbourhood, place.admin.user, credits_enabled=True)
            self.on = True
            self.maximum: Decimal | None = None
            self.people = [factories.participant(name) for name in PEOPLE]
            self.organisations = [
                create_organisation(by=broker, name=f"Vereniging {n}") for n in (1, 2)
            ]
            self.model: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
            # Each transfer made: (transfer, its changes to the model).
            self.made: list[tuple[Transfer, dict[tuple[str, int], Decimal]]] = []
            self.keys: dict[str, int] = {}

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.example.__exit__(None, None, None)
            self.schema.__exit__(None, None, None)

        def _attempt(self, expected: bool, call, changes, key):  # type: ignore[no-untyped-def]
            """Run a service; it succeeds exactly when the model expects it to."""
            if self.on and key in self.keys:  # a resubmission: the first one, nothing new
                assert call().pk == self.keys[key]
                return
            try:
                transfer = call()
            except ValidationError as error:
                assert not expected, f"refused: {error}"
                return
            assert expected, "made a transfer the rules forbid"
            for account, amount in changes.items():
                self.model[account] += amount
            self.made.append((transfer, changes))
            if key:
                self.keys[key] = transfer.pk

        def _fits(self, person: int, amount: Decimal) -> bool:
            return self.maximum is None or self.model[("p", person)] + amount <= self.maximum

        @rule(organisation=st.integers(0, 1), who=st.sets(st.integers(0, 3), min_size=1),
              amount=AMOUNTS, key=KEYS)  # fmt: skip
        def reward(self, organisation: int, who: set[int], amount: Decimal, key: str) -> None:
            steps.append("reward")
            recipients = sorted(who)
            changes = {("p", i): amount for i in recipients}
            changes[("org", organisation)] = -amount * len(recipients)
            self._attempt(
                self.on and all(self._fits(i, amount) for i in recipients),
                lambda: reward_participants(
                    recipients=[self.people[i] for i in recipients],
                    amount_each=amount,
                    organisation=self.organisations[organisation],
                    by=broker,
                    description="Bedankt voor het meehelpen",
                    idempotency_key=key,
                ),
                changes,
                key,
            )

        @rule(giver=st.integers(0, 3), receiver=st.integers(0, 3), amount=AMOUNTS, key=KEYS)
        def gift(self, giver: int, receiver: int, amount: Decimal, key: str) -> None:
            steps.append("gift")
            if giver == receiver:  # refused before the key is looked at
                key = None  # type: ignore[assignment]
            self._attempt(
                self.on
                and giver != receiver
                and self.model[("p", giver)] >= amount
                and self._fits(receiver, amount),
                lambda: give_credits(
                    giver=self.people[giver],
                    receiver=self.people[receiver],
                    amount=amount,
                    by=broker,
                    description="Dank je wel",
                    idempotency_key=key,
                ),
                {("p", giver): -amount, ("p", receiver): amount},
                key,
            )

        @precondition(lambda self: self.made)
        @rule(data=st.data())
        def reverse(self, data: st.DataObject) -> None:
            steps.append("reverse")
            transfer, changes = self.made[data.draw(st.integers(0, len(self.made) - 1))]
            undone = {account: -amount for account, amount in changes.items()}
            already = any(t.reverses_id == transfer.pk for t, _changes in self.made)
            self._attempt(
                self.on
                and transfer.kind != Transfer.Kind.REVERSAL
                and not already
                and all(self.model[a] + amount >= 0 for a, amount in undone.items() if a[0] == "p"),
                lambda: reverse_transfer(transfer=transfer, by=broker, reason="Vergissing"),
                undone,
                None,
            )

        @rule(giver=st.integers(0, 3), amount=IMPOSSIBLE)
        def impossible_amount(self, giver: int, amount: Decimal) -> None:
            steps.append("impossible")
            self._attempt(
                False,
                lambda: give_credits(
                    giver=self.people[giver],
                    receiver=self.people[(giver + 1) % 4],
                    amount=amount,
                    by=broker,
                    description="x",
                ),
                {},
                None,
            )

        @rule(maximum=st.sampled_from([None, D(2), D(5), D(10)]))
        def change_maximum(self, maximum: Decimal | None) -> None:
            steps.append("maximum")
            set_credits(place.neighbourhood, place.admin.user, credit_max_balance=maximum)
            self.maximum = maximum

        @rule()
        def switch(self) -> None:
            steps.append("switch")
            self.on = not self.on
            set_credits(place.neighbourhood, place.admin.user, credits_enabled=self.on)

        @invariant()
        def ledger_is_sound_and_as_modelled(self) -> None:
            balances = {
                (account.participant_id, account.organisation_id): account.balance
                for account in assert_ledger_invariants()
            }
            for i, person in enumerate(self.people):
                assert balances.get((person.pk, None), 0) == self.model[("p", i)]
            for i, organisation in enumerate(self.organisations):
                assert balances.get((None, organisation.pk), 0) == self.model[("org", i)]

    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=50,
            deadline=None,
            # The same sequences every run: 1,500 steps, 20–50 s on a shared 2-core machine.
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    kinds = set(steps)
    assert len(steps) >= MIN_STEPS, len(steps)
    assert kinds == {"reward", "gift", "reverse", "impossible", "maximum", "switch"}
