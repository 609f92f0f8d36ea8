"""What the broker and the admin see of the whole ledger: credits issued, in circulation,
redeemed, per organisation, and every balance (also as CSV/XLSX). A fixed number of queries
whatever the size of the ledger: sums are computed in the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from tenants.audit.actions import CREDIT_OVERVIEW_EXPORTED
from tenants.audit.services import record_audit_event
from tijdvoorelkaar.spreadsheets import Export, write_table

from .models import Account, Movement
from .naming import credit_word
from .selectors import accounts_with_balances

ZERO = Decimal(0)


@dataclass
class OrganisationFigures:
    pk: int
    name: str
    issued: Decimal = ZERO  # handed out to volunteers (net of reversals)
    received: Decimal = ZERO  # what it holds: taken in for its offers, or given to it


@dataclass
class Overview:
    issued: Decimal
    in_circulation: Decimal  # held by participants and on paper vouchers
    redeemed: Decimal  # held by organisations: taken in for what they offer
    participants_holding: int
    organisations: list[OrganisationFigures] = field(default_factory=list)


def overview() -> Overview:
    """The ledger's figures, in two queries."""
    by_kind: dict[str, Decimal] = dict(
        Movement.objects.values("account__kind")
        .annotate(total=Sum("amount"))
        .values_list("account__kind", "total")
    )
    figures: dict[int, OrganisationFigures] = {}
    rows = (
        Movement.objects.filter(account__organisation__isnull=False)
        .values("account__organisation_id", "account__organisation__name", "account__kind")
        .annotate(total=Sum("amount"))
        .order_by("account__organisation__name", "account__organisation_id")
    )
    for row in rows:
        pk = row["account__organisation_id"]
        entry = figures.setdefault(pk, OrganisationFigures(pk, row["account__organisation__name"]))
        if row["account__kind"] == Account.Kind.ORGANISATION_ISSUING:
            entry.issued = -row["total"]
        else:
            entry.received = row["total"]
    holding = participant_balances().count()  # the list's own rows: the two always agree
    kinds = Account.Kind
    return Overview(
        issued=-(
            by_kind.get(kinds.ORGANISATION_ISSUING, ZERO)
            + by_kind.get(kinds.NEIGHBOURHOOD_ISSUING, ZERO)
        ),
        in_circulation=by_kind.get(kinds.PARTICIPANT, ZERO) + by_kind.get(kinds.VOUCHERS, ZERO),
        redeemed=by_kind.get(kinds.ORGANISATION, ZERO),
        participants_holding=holding,
        organisations=list(figures.values()),
    )


def participant_balances() -> QuerySet[Account]:
    """The accounts of participants holding some (a balance above 0), with their balance and
    owner, highest balance first. Someone who spent everything is in the download of every
    balance and on their own statement, not in this list."""
    return (
        accounts_with_balances()
        .filter(kind=Account.Kind.PARTICIPANT, balance__gt=0)
        .order_by("-balance", "participant__display_name", "id")
    )


def export_balances(*, file_format: str, by: Any) -> Export:
    """Every account's balance as CSV or XLSX (issuing accounts show minus what they
    handed out); audited with the accounts' ids."""
    accounts = list(accounts_with_balances())
    headers = [_("Account"), _("Kind"), _("Participant number"), _("Owner"), credit_word()]
    rows: Sequence[list[Any]] = [
        [
            account.pk,
            str(account.get_kind_display()),
            account.participant_id or "",
            _owner(account),
            account.balance,
        ]
        for account in accounts
    ]
    export = write_table(
        name=_("balances"), file_format=file_format, headers=[str(h) for h in headers], rows=rows
    )
    record_audit_event(
        actor=by,
        action=CREDIT_OVERVIEW_EXPORTED,
        detail={"format": file_format, "rows": len(rows), "ids": [a.pk for a in accounts]},
    )
    return export


def _owner(account: Account) -> str:
    if account.participant_id:
        return account.participant.display_name  # type: ignore[union-attr]
    if account.organisation_id:
        return account.organisation.name  # type: ignore[union-attr]
    return ""
