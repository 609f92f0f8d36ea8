"""Hypothesis drives the ledger through generated sequences of rewards, gifts, reversals,
resubmissions, impossible amounts, limit changes, on/off switches, offer redemptions and
voucher prints, hand-ins and voids, against a model of
what each should do; after every step the ledger's invariants hold and every balance is
what the model says. Each example runs in its own transaction, rolled back at its end."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
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
from tenants.credits.offers import create_offer, redeem_offer
from tenants.credits.selectors import accounts_with_balances
from tenants.credits.services import (
    VOUCHER_KINDS,
    give_credits,
    reverse_transfer,
    reward_participants,
)
from tenants.credits.vouchers import print_vouchers, redeem_voucher, void_batch
from tenants.organisations.services import create_organisation
from tests.support import factories
from tests.support.credits import assert_ledger_invariants, assert_vouchers_backed, set_credits

pytestmark = pytest.mark.django_db
D = Decimal
PEOPLE = ("Ans", "Bert", "Carla", "Dirk")
AMOUNTS = st.sampled_from([D("0.25"), D("0.5"), D(1), D("1.5"), D(2), D(3), D(5)])
IMPOSSIBLE = st.sampled_from([D(0), D(-1), D("0.1"), D("2.3"), D(101), D("NaN")])
KEYS = st.one_of(st.none(), st.none(), st.sampled_from(["k1", "k2", "k3", "k4", "k5"]))
MIN_STEPS = 1000
HOLDERS = ("p", "shop", "v")
ISSUING = (
    "organisation_issuing",
    "neighbourhood_issuing",
)  # model keys of accounts that hold credits (never below zero)


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
            # The organisation 0 sells tea for 1, three cups; a voucher batch is
            # [value, codes, which are handed in, voided].
            self.offer = create_offer(
                provider=self.organisations[0], title="Thee", price=D(1), stock=3, by=broker
            )
            self.stock = 3
            self.batches: list[list] = []  # type: ignore[type-arg]
            self.checked = 0  # the last transfer whose legs were checked

        def teardown(self) -> None:
            assert_ledger_invariants()
            assert_vouchers_backed()
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
                and transfer.kind not in VOUCHER_KINDS
                and not already
                and all(
                    self.model[a] + amount >= 0 for a, amount in undone.items() if a[0] in HOLDERS
                ),
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

        @rule(person=st.integers(0, 3))
        def redeem_offer(self, person: int) -> None:
            steps.append("offer")
            expected = self.on and self.stock > 0 and self.model[("p", person)] >= 1
            redemption = []

            def call():  # type: ignore[no-untyped-def]
                redemption.append(
                    redeem_offer(offer=self.offer, participant=self.people[person], by=None)
                )
                return redemption[0].transfer

            self._attempt(expected, call, {("p", person): D(-1), ("shop", 0): D(1)}, None)
            if redemption:
                self.stock -= 1

        @rule(count=st.integers(1, 3), value=AMOUNTS)
        def print_batch(self, count: int, value: Decimal) -> None:
            steps.append("print")
            printed = []

            def call():  # type: ignore[no-untyped-def]
                printed.append(
                    print_vouchers(count=count, value=value, by=broker, description="Vel")
                )
                return printed[0].batch.print_transfer

            self._attempt(self.on, call, {("n",): -value * count, ("v",): value * count}, None)
            if printed:
                self.batches.append([value, printed[0].codes, set(), False, printed[0].batch])

        @precondition(lambda self: self.batches)
        @rule(data=st.data(), person=st.integers(-1, 3))
        def hand_in(self, data: st.DataObject, person: int) -> None:
            """A voucher handed in at organisation 1 (person -1) or by a participant."""
            steps.append("hand_in")
            value, codes, used, voided, _batch = self.batches[
                data.draw(st.integers(0, len(self.batches) - 1))
            ]
            number = data.draw(st.integers(0, len(codes) - 1))
            receiver = ("shop", 1) if person < 0 else ("p", person)
            expected = (
                self.on
                and number not in used
                and not voided
                and (person < 0 or self._fits(person, value))
            )
            self._attempt(
                expected,
                lambda: (
                    redeem_voucher(
                        code=codes[number],
                        by=None,
                        organisation=self.organisations[1] if person < 0 else None,
                        participant=self.people[person] if person >= 0 else None,
                    ).redeem_transfer
                ),
                {("v",): -value, receiver: value},
                None,
            )
            if expected:
                used.add(number)

        @precondition(lambda self: self.batches)
        @rule(data=st.data())
        def void(self, data: st.DataObject) -> None:
            steps.append("void")
            entry = self.batches[data.draw(st.integers(0, len(self.batches) - 1))]
            value, codes, used, voided, batch = entry
            left = value * (len(codes) - len(used))
            try:
                void_batch(batch=batch, by=broker, reason="Kwijt")
            except ValidationError:
                assert not self.on or voided, "refused a void the rules allow"
                return
            assert self.on and not voided, "voided what the rules forbid"
            entry[3] = True
            if left:
                self.model[("v",)] -= left
                self.model[("n",)] += left

        @invariant()
        def ledger_is_sound_and_as_modelled(self) -> None:
            """The full invariants (tests/support/credits.py) in three queries a step: every
            balance as modelled (so the ledger sums to zero: the model does), the transfers
            made since the last step each sum to zero over two accounts, and the vouchers
            account holds what is out. The last step of each example checks everything."""
            balances = {
                (account.kind, account.participant_id, account.organisation_id): account.balance
                for account in accounts_with_balances()
            }
            assert sum(balances.values(), D(0)) == 0
            for account, amount in balances.items():
                assert account[0] in ISSUING or amount >= 0, account
            for i, person in enumerate(self.people):
                assert balances.get(("participant", person.pk, None), 0) == self.model[("p", i)]
            for i, organisation in enumerate(self.organisations):
                issued = balances.get(("organisation_issuing", None, organisation.pk), 0)
                assert issued == self.model[("org", i)]
                held = balances.get(("organisation", None, organisation.pk), 0)
                assert held == self.model[("shop", i)]
            assert balances.get(("vouchers", None, None), 0) == self.model[("v",)]
            assert balances.get(("neighbourhood_issuing", None, None), 0) == self.model[("n",)]
            newer = Transfer.objects.filter(pk__gt=self.checked)
            legs = newer.annotate(total=Sum("movements__amount"), legs=Count("movements"))
            assert not legs.filter(~Q(total=0) | Q(legs__lt=2)).exists()
            self.checked = max([self.checked, *(t.pk for t, _changes in self.made)])
            out = sum(
                (
                    entry[0] * (len(entry[1]) - len(entry[2]))
                    for entry in self.batches
                    if not entry[3]
                ),
                D(0),
            )
            assert out == self.model[("v",)]

    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=11,
            stateful_step_count=100,
            deadline=None,
            # The same sequences every run: 1,100 steps (fewer, longer examples: each
            # example's setup costs more than a step); 19 s on the shared 2-core machine at
            # load 8, 40-80 s when it is saturated (load 12-15).
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    kinds = set(steps)
    assert len(steps) >= MIN_STEPS, len(steps)
    assert kinds == {
        "reward",
        "gift",
        "reverse",
        "impossible",
        "maximum",
        "switch",
        "offer",
        "print",
        "hand_in",
        "void",
    }
