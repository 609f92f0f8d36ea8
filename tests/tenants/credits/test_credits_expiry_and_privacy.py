"""Expiry after months without use (warned a month ahead, once), and credits in a
participant's data export and erasure."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.credits.expiry import expire_inactive_credits
from tenants.credits.models import Account, Transfer
from tenants.credits.selectors import balance
from tenants.credits.services import give_credits, reward_participants
from tenants.outbox.models import OutboxMessage
from tenants.people.models import HeldMessage
from tenants.people.services.privacy import erase_participant, erase_word, export_participant_data
from tests.support.credits import assert_ledger_invariants, set_credits

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.UTC)


def _days(n: int) -> datetime.datetime:
    return START + datetime.timedelta(days=n)


def test_unused_credits_are_announced_a_month_ahead_then_expire(cast, ledger) -> None:
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credit_expiry_months=3)
    ledger.ans.email = "ans@example.org"
    with tenant_context(cast.a.neighbourhood):
        ledger.ans.save(update_fields=["email"])
        with time_machine.travel(START, tick=False):
            reward_participants(
                recipients=[ledger.ans, ledger.bert],
                amount_each=D(2),
                by=cast.a.broker.user,
                description="Kerst",
            )
        with time_machine.travel(_days(40), tick=False):  # Bert used his
            give_credits(
                giver=ledger.bert,
                receiver=ledger.carla,
                amount=D(1),
                by=cast.a.broker.user,
                description="Boodschap",
            )
        with time_machine.travel(_days(50), tick=False):
            assert expire_inactive_credits() == {"expired": 0, "warned": 0}
        with time_machine.travel(_days(65), tick=False):
            assert expire_inactive_credits() == {"expired": 0, "warned": 1}
            assert expire_inactive_credits() == {"expired": 0, "warned": 0}  # once
        mail = OutboxMessage.objects.get(purpose="credits.expiry_warning")
        assert mail.to == "ans@example.org" and "2 Roosjes" in mail.body
        with time_machine.travel(_days(91), tick=False):
            result = expire_inactive_credits()
        assert result["expired"] == 1
        ans = Account.objects.get(participant=ledger.ans)
        assert balance(ans) == 0
        expiry = Transfer.objects.get(kind="expiry")
        assert "3 months" in expiry.description
        assert balance(Account.objects.get(participant=ledger.bert)) == 1  # warned later
        # Bert (offline, no address) is warned through a held message for the broker.
        with time_machine.travel(_days(40 + 65), tick=False):
            expire_inactive_credits()
        assert HeldMessage.objects.filter(
            participant=ledger.bert, purpose="credits.expiry_warning"
        ).exists()
        assert_ledger_invariants()


def test_nothing_expires_while_credits_are_off_or_never_expire(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        reward_participants(
            recipients=[ledger.ans], amount_each=D(2), by=cast.a.broker.user, description="X"
        )
        later = timezone.now() + datetime.timedelta(days=3000)
        with time_machine.travel(later, tick=False):
            assert expire_inactive_credits() == {"expired": 0, "warned": 0}
    set_credits(
        cast.a.neighbourhood, cast.a.admin.user, credit_expiry_months=1, credits_enabled=False
    )
    with tenant_context(cast.a.neighbourhood), time_machine.travel(later, tick=False):
        assert expire_inactive_credits() == {"expired": 0, "warned": 0}


def test_the_export_holds_the_statement_while_on_and_nothing_while_off(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        reward_participants(
            recipients=[ledger.ans], amount_each=D(2), by=cast.a.broker.user, description="Kerst"
        )
        data = export_participant_data(participant=ledger.ans, exported_by=cast.a.broker.user)
    assert data["credits"]["balance"] == "2.00"
    assert [m["description"] for m in data["credits"]["movements"]] == ["Kerst"]
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    with tenant_context(cast.a.neighbourhood):
        data = export_participant_data(participant=ledger.ans, exported_by=cast.a.broker.user)
    assert "credits" not in data


def test_erasure_returns_the_balance_to_the_neighbourhood(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        reward_participants(
            recipients=[ledger.ans], amount_each=D(2), by=cast.a.broker.user, description="Kerst"
        )
        erase_participant(
            participant=ledger.ans, erased_by=cast.a.broker.user, confirmation=erase_word()
        )
        assert balance(Account.objects.get(participant=ledger.ans)) == 0
        assert Transfer.objects.filter(kind="expiry").count() == 1
        assert_ledger_invariants()
