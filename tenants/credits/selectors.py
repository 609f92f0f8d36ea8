"""Reads of the credits ledger: balances are sums of movements, computed in the query."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce

from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.accounts.models import STAFF_ROLES, Role

from .models import AMOUNT_DIGITS, Account, Movement, Transfer

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2))


def accounts_with_balances() -> QuerySet[Account]:
    """Every account with its `balance` (the sum of its movements) and its owner."""
    return (
        Account.objects.select_related("participant", "organisation")
        .annotate(balance=Coalesce(Sum("movements__amount"), ZERO))
        .order_by("id")
    )


def accounts_visible_to(user: Any) -> QuerySet[Account]:
    """Staff see every account; an organisation's member their organisations' accounts and
    their own; anyone else only their own."""
    accounts = accounts_with_balances()
    if user.role in STAFF_ROLES:
        return accounts
    own = Q(kind=Account.Kind.PARTICIPANT, participant__user=user)
    if user.role == Role.ORGANISATION:
        member_of = Account.objects.filter(organisation__members__user=user).values("pk")
        return accounts.filter(own | Q(pk__in=member_of))
    return accounts.filter(own)


def statement(account: Account) -> QuerySet[Movement]:
    """An account's movements, newest first, each with the balance after it (a window over
    the account's movements in transfer order), in one query whatever the page."""
    running = Window(Sum("amount"), order_by=[F("transfer_id").asc()])
    return (
        Movement.objects.filter(account=account)
        .select_related("transfer")
        .annotate(balance_after=running)
        .order_by("-transfer_id")
    )


def transfers_for_list() -> QuerySet[Transfer]:
    return Transfer.objects.prefetch_related("movements").order_by("-made_at", "-id")


def balance(account: Account) -> Decimal:
    total = Movement.objects.filter(account=account).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal(0)


def volunteers_of(organisation: Organisation) -> QuerySet[Participant]:
    """Who an organisation can reward: its members and the people placed with it (not
    erased), by name. Nobody else: an organisation never searches all participants."""
    return (
        Participant.objects.filter(erased_at=None)
        .filter(
            Q(pk__in=organisation.members.values("pk"))
            | Q(
                pk__in=Participant.objects.filter(placements__organisation=organisation).values(
                    "pk"
                )
            )
        )
        .order_by("display_name", "pk")
    )
