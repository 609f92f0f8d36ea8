"""The credits ledger's invariants, checked by every credits test that writes, and a switch
for a neighbourhood's credits. Call inside the neighbourhood's schema."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from tenants.credits.models import Account, Movement, Transfer
from tenants.credits.selectors import accounts_with_balances
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import update_settings


def assert_ledger_invariants() -> list[Account]:
    """Every transfer sums to zero over at least two accounts (so the whole ledger does),
    every balance is the sum of its movements, and no account that holds credits is below
    zero. Returns the accounts with their `balance`."""
    total = Movement.objects.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    assert total == 0, f"the ledger sums to {total}"
    unbalanced = (
        Transfer.objects.annotate(total=Sum("movements__amount"), legs=Count("movements"))
        .filter(~Q(total=0) | Q(legs__lt=2))
        .count()
    )
    assert unbalanced == 0, f"{unbalanced} transfers do not sum to zero over two accounts"
    summed = dict(
        Movement.objects.values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    accounts = list(accounts_with_balances())
    for account in accounts:
        assert account.balance == summed.get(account.pk, 0)
        if not account.issues:
            assert account.balance >= 0, f"{account.kind} account {account.pk} below zero"
    return accounts


def set_credits(neighbourhood: Neighbourhood, by: object, **changes: object) -> Neighbourhood:
    """Change the credits settings through the real service (as the admin does). Returns the
    changed row; the object passed in (often the session's cast) is left as it was."""
    return update_settings(neighbourhood=neighbourhood, changes=changes, changed_by=by)


def assert_vouchers_backed() -> None:
    """The vouchers-in-circulation account holds exactly the value of the vouchers still
    out: printed, not handed in, in a batch not voided."""
    from tenants.credits.models import Voucher

    out = Voucher.objects.filter(redeemed_at=None, batch__voided_at=None).aggregate(
        total=Sum("batch__value")
    )["total"] or Decimal(0)
    held = Movement.objects.filter(account__kind="vouchers").aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal(0)
    assert held == out, f"the vouchers account holds {held}, the vouchers out are worth {out}"
