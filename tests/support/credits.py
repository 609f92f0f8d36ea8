"""The credits ledger's invariants, checked by every credits test that writes, and a switch
for a neighbourhood's credits. Call inside the neighbourhood's schema."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from tenants.credits.models import Account, Movement, Transfer
from tenants.credits.selectors import accounts_with_balances
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import update_settings


def assert_ledger_invariants() -> dict[int, Decimal]:
    """Every transfer sums to zero (so the whole ledger does), every balance is the sum of
    its movements, and no account that holds credits is below zero. Returns the balances."""
    total = Movement.objects.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    assert total == 0, f"the ledger sums to {total}"
    unbalanced = Transfer.objects.annotate(total=Sum("movements__amount")).exclude(total=0).count()
    assert unbalanced == 0, f"{unbalanced} transfers do not sum to zero"
    assert not Transfer.objects.filter(movements=None).exists(), "a transfer without movements"
    balances = {}
    for account in accounts_with_balances():
        summed = Movement.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0
        assert account.balance == summed
        if not account.issues:
            assert account.balance >= 0, f"{account.kind} account {account.pk} below zero"
        balances[account.pk] = account.balance
    return balances


def set_credits(neighbourhood: Neighbourhood, by: object, **changes: object) -> Neighbourhood:
    """Change the credits settings through the real service (as the admin does)."""
    return update_settings(neighbourhood=neighbourhood, changes=changes, changed_by=by)


def holding_balance(account: Account) -> Decimal:
    return Movement.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or Decimal(0)
