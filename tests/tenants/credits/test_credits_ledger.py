"""The ledger's services: rewards, gifts, reversals, their refusals, the limits, the
idempotency key, and that a failure leaves nothing half-written."""

from __future__ import annotations

import time
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants import credits
from tenants.audit.models import AuditEvent
from tenants.credits import services
from tenants.credits.models import Account, Movement, Transfer
from tenants.credits.selectors import balance, statement
from tenants.credits.services import give_credits, reverse_transfer, reward_participants
from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.people.timeline import timeline_for
from tests.support import factories
from tests.support.credits import assert_ledger_invariants, set_credits

pytestmark = pytest.mark.django_db
D = Decimal


def _account(participant):  # type: ignore[no-untyped-def]
    return Account.objects.get(kind=Account.Kind.PARTICIPANT, participant=participant)


def _reward(place, ledger, *people, amount="2", **kwargs):  # type: ignore[no-untyped-def]
    return reward_participants(
        recipients=list(people),
        amount_each=D(amount) if isinstance(amount, str) else amount,
        organisation=kwargs.pop("organisation", ledger.scouting),
        by=place.broker.user,
        description="Kerstactie",
        **kwargs,
    )


def _gift(place, ledger, amount):  # type: ignore[no-untyped-def]
    """Ans thanks Bert, recorded by the broker."""
    return give_credits(
        giver=ledger.ans, receiver=ledger.bert, amount=amount, by=place.broker.user, description="x"
    )


def test_a_reward_issues_new_credits_from_the_organisations_issuing_account(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        transfer = _reward(cast.a, ledger, ledger.ans, ledger.bert)

        issuing = Account.objects.get(organisation=ledger.scouting)
        assert issuing.kind == Account.Kind.ORGANISATION_ISSUING
        assert balance(issuing) == D("-4")
        assert (balance(_account(ledger.ans)), balance(_account(ledger.bert))) == (D(2), D(2))
        assert transfer.kind == "reward" and transfer.made_by == cast.a.broker.user
        assert AuditEvent.objects.filter(
            action="credit_transfer.made", target_id=str(transfer.pk)
        ).exists()
        assert_ledger_invariants()


def test_without_an_organisation_the_neighbourhood_issues(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _reward(cast.a, ledger, ledger.ans, organisation=None)
        source = Account.objects.get(kind=Account.Kind.NEIGHBOURHOOD_ISSUING)
        assert balance(source) == D(-2)


def test_a_gift_moves_credits_from_giver_to_receiver_after_a_match(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _reward(cast.a, ledger, ledger.ans, amount="3")
        mediation = start_mediation(requester=ledger.ans, provider=ledger.bert, active=True)
        mediation = set_mediation_status(mediation=mediation, status="match", by=cast.a.broker.user)

        gift = give_credits(
            giver=ledger.ans,
            receiver=ledger.bert,
            amount=D("1.5"),
            by=cast.a.broker.user,
            description="Bedankt voor het boren",
            mediation=mediation,
        )

        assert balance(_account(ledger.ans)) == D("1.5")
        assert balance(_account(ledger.bert)) == D("1.5")
        # The broker recorded it for Ans, who has no account of her own.
        assert (gift.on_behalf_of, gift.mediation) == (ledger.ans, mediation)
        assert_ledger_invariants()


def test_a_gift_names_only_a_matched_mediation_between_the_two(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _reward(cast.a, ledger, ledger.ans)
        open_one = start_mediation(requester=ledger.ans, provider=ledger.bert, active=True)
        others = start_mediation(requester=ledger.ans, provider=ledger.carla, active=True)
        set_mediation_status(mediation=others, status="match", by=cast.a.broker.user)
        for mediation in (open_one, others):
            with pytest.raises(ValidationError) as refused:
                give_credits(
                    giver=ledger.ans,
                    receiver=ledger.bert,
                    amount=D(1),
                    by=cast.a.broker.user,
                    description="Bedankt",
                    mediation=mediation,
                )
            assert "mediation" in refused.value.message_dict
        assert not Transfer.objects.filter(kind="gift").exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (D(0), "zero"),
        (D(-1), "positive"),
        (D("0.1"), "quarter"),
        (D("1.125"), "quarter"),
        (D("100.25"), "At most"),
        (D("1e9"), "At most"),
        (D("NaN"), "number"),
        (D("Infinity"), "number"),
        (2.0, "number"),
        (True, "number"),
    ],
)
def test_an_impossible_amount_is_refused_naming_the_field(cast, ledger, amount, message) -> None:
    with tenant_context(cast.a.neighbourhood):
        with pytest.raises(ValidationError) as refused:
            _reward(cast.a, ledger, ledger.ans, amount=amount)
        assert message in refused.value.message_dict["amount_each"][0]
        with pytest.raises(ValidationError) as refused:
            give_credits(
                giver=ledger.ans,
                receiver=ledger.bert,
                amount=amount,
                by=cast.a.broker.user,
                description="x",
            )
        assert message in refused.value.message_dict["amount"][0]
        assert not Transfer.objects.exists()


def test_refusals_name_their_field(cast, ledger) -> None:
    broker = cast.a.broker.user
    with tenant_context(cast.a.neighbourhood):
        _reward(cast.a, ledger, ledger.ans, amount="2")
        attempts = {
            "receiver": lambda: give_credits(
                giver=ledger.ans, receiver=ledger.ans, amount=D(1), by=broker, description="x"
            ),
            "amount": lambda: give_credits(
                giver=ledger.ans, receiver=ledger.bert, amount=D(3), by=broker, description="x"
            ),
            "description": lambda: give_credits(
                giver=ledger.ans, receiver=ledger.bert, amount=D(1), by=broker, description=" "
            ),
            "recipients": lambda: _reward(cast.a, ledger, ledger.bert, ledger.bert),
        }
        for field, attempt in attempts.items():
            with pytest.raises(ValidationError) as refused:
                attempt()
            assert list(refused.value.message_dict) == [field]
        with pytest.raises(ValidationError) as refused:
            _reward(cast.a, ledger)
        assert "recipients" in refused.value.message_dict
        assert Transfer.objects.count() == 1
        assert balance(_account(ledger.ans)) == D(2)


def test_a_balance_never_goes_below_zero(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _reward(cast.a, ledger, ledger.ans, amount="1")
        with pytest.raises(ValidationError, match="more than the balance"):
            give_credits(
                giver=ledger.ans,
                receiver=ledger.bert,
                amount=D("1.25"),
                by=cast.a.broker.user,
                description="x",
            )
        give_credits(
            giver=ledger.ans,
            receiver=ledger.bert,
            amount=D(1),
            by=cast.a.broker.user,
            description="x",
        )
        assert balance(_account(ledger.ans)) == 0
        assert_ledger_invariants()


def test_the_maximum_balance_stops_receiving_not_spending(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _reward(cast.a, ledger, ledger.ans, amount="5")
        set_credits(cast.a.neighbourhood, cast.a.admin.user, credit_max_balance=D(4))
        with pytest.raises(ValidationError) as refused:
            _reward(cast.a, ledger, ledger.bert, amount="4.25")
        assert "maximum" in refused.value.message_dict["amount"][0]
        # Ans is above the new maximum and may still give.
        give_credits(
            giver=ledger.ans,
            receiver=ledger.bert,
            amount=D(4),
            by=cast.a.broker.user,
            description="x",
        )
        assert balance(_account(ledger.bert)) == D(4)


def test_nothing_moves_while_credits_are_off_and_the_ledger_is_kept(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        first = _reward(cast.a, ledger, ledger.ans)
        set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
        for attempt in (
            lambda: _reward(cast.a, ledger, ledger.bert),
            lambda: reverse_transfer(transfer=first, by=cast.a.broker.user, reason="fout"),
        ):
            with pytest.raises(ValidationError) as refused:
                attempt()
            assert list(refused.value.message_dict) == ["credits_enabled"]
        set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=True)
        assert list(Transfer.objects.all()) == [first]
        assert balance(_account(ledger.ans)) == D(2)


def test_a_reversal_mirrors_the_transfer_once_and_keeps_both(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        reward = _reward(cast.a, ledger, ledger.ans, ledger.bert)
        reversal = reverse_transfer(transfer=reward, by=cast.a.admin.user, reason="Verkeerde lijst")

        assert (reversal.kind, reversal.reverses, reversal.description) == (
            "reversal",
            reward,
            "Verkeerde lijst",
        )
        assert balance(_account(ledger.ans)) == 0
        assert Transfer.objects.count() == 2 and Movement.objects.count() == 6
        for again in (reward, reversal):
            with pytest.raises(ValidationError) as refused:
                reverse_transfer(transfer=again, by=cast.a.admin.user, reason="nog eens")
            assert "transfer" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            reverse_transfer(transfer=reward, by=cast.a.admin.user, reason="")
        assert "transfer" in refused.value.message_dict
        assert_ledger_invariants()


def test_a_reversal_needs_a_reason_and_is_refused_when_the_credits_were_spent(cast, ledger) -> None:
    broker = cast.a.broker.user
    with tenant_context(cast.a.neighbourhood):
        reward = _reward(cast.a, ledger, ledger.ans)
        with pytest.raises(ValidationError) as refused:
            reverse_transfer(transfer=reward, by=broker, reason=" ")
        assert "reason" in refused.value.message_dict
        give_credits(
            giver=ledger.ans, receiver=ledger.bert, amount=D(1), by=broker, description="x"
        )
        with pytest.raises(ValidationError) as refused:
            reverse_transfer(transfer=reward, by=broker, reason="Verkeerde persoon")
        assert "balance" in refused.value.message_dict["amount"][0]
        assert_ledger_invariants()


def test_the_same_idempotency_key_makes_one_transfer(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        first = _reward(cast.a, ledger, ledger.ans, idempotency_key="klik-1")
        second = _reward(cast.a, ledger, ledger.ans, idempotency_key="klik-1")
        other = _reward(cast.a, ledger, ledger.ans, idempotency_key="klik-2")
        reversal = reverse_transfer(
            transfer=first, by=cast.a.broker.user, reason="dubbel", idempotency_key="terug-1"
        )
        again = reverse_transfer(
            transfer=first, by=cast.a.broker.user, reason="dubbel", idempotency_key="terug-1"
        )

        assert first == second and other != first and reversal == again
        assert Transfer.objects.count() == 3
        assert balance(_account(ledger.ans)) == D(2)


def test_a_failure_mid_transfer_leaves_none_of_it(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        before = (Account.objects.count(), Transfer.objects.count(), Movement.objects.count())
        # The audit event is the last step: the movements are already written when it fails.
        with mock.patch.object(services, "record_audit_event", side_effect=RuntimeError("kill")):
            with pytest.raises(RuntimeError):
                _reward(cast.a, ledger, ledger.ans, ledger.bert, ledger.carla)
        assert (Account.objects.count(), Transfer.objects.count(), Movement.objects.count()) == (
            before
        )
        assert_ledger_invariants()


def test_rewarding_480_volunteers_is_one_transfer_in_a_constant_number_of_queries(
    cast, ledger
) -> None:
    with tenant_context(cast.a.neighbourhood):
        volunteers = factories.many_participants(483)
        _reward(cast.a, ledger, ledger.ans)  # opens the issuing account
        with CaptureQueriesContext(connection) as few:
            _reward(cast.a, ledger, *volunteers[:3])
        with CaptureQueriesContext(connection) as many:
            started = time.perf_counter()
            transfer = _reward(cast.a, ledger, *volunteers[3:])
            seconds = time.perf_counter() - started

        assert transfer.movements.count() == 481
        assert balance(Account.objects.get(organisation=ledger.scouting)) == D(-968)
        assert len(many) == len(few) <= 20
        assert seconds < 2
        assert_ledger_invariants()


def test_a_statement_shows_the_balance_after_each_movement_newest_first(cast, ledger) -> None:
    broker = cast.a.broker.user
    with tenant_context(cast.a.neighbourhood):
        _reward(cast.a, ledger, ledger.ans, amount="3")
        give_credits(
            giver=ledger.ans, receiver=ledger.bert, amount=D(1), by=broker, description="a"
        )
        _reward(cast.a, ledger, ledger.ans, ledger.carla, amount="0.5")

        lines = [(line.amount, line.balance_after) for line in statement(_account(ledger.ans))]
        assert lines == [(D("0.5"), D("2.5")), (D(-1), D(2)), (D(3), D(3))]


def test_the_participants_timeline_shows_their_credits_only_while_credits_are_on(
    cast, credits_on, ledger
) -> None:
    with tenant_context(credits_on):
        _reward(cast.a, ledger, ledger.ans, amount="2")
        _gift(cast.a, ledger, D("0.5"))
        shown = [e.title for e in timeline_for(ledger.ans) if e.kind == "credits"]
        assert shown == ["−0.5 Roosje: x", "+2 Roosjes: Kerstactie"]
        with CaptureQueriesContext(connection) as queries:
            credits.timeline.TIMELINE.entries_for(ledger.ans)
        assert len(queries) == 1

    off = set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    with tenant_context(off):
        assert [e for e in timeline_for(ledger.ans) if e.kind == "credits"] == []
