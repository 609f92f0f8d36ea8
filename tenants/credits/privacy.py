"""Credits' part of a participant's data (declared in `contributions.py`).

Export: their balance and every movement of their account (while credits are on; switched
off, credits leave no trace, in exports too). Erasure: what they still hold goes back to the
neighbourhood's issuing account (a transfer of kind `expiry`, so the ledger keeps summing to
zero and nobody holds credits in an erased name); the movements stay, naming only the
account, whose owner the erasure anonymises.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.services.privacy import as_iso
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .models import Account, Movement, Transfer
from .selectors import balance
from .services import account_for, make_transfer


def _switched_on() -> Neighbourhood | None:
    """The neighbourhood's row as it is now (an admin may just have switched), if on."""
    neighbourhood = Neighbourhood.objects.get(pk=current_neighbourhood().pk)
    return neighbourhood if neighbourhood.credits_enabled else None


def _account(participant: Participant) -> Account | None:
    return Account.objects.filter(kind=Account.Kind.PARTICIPANT, participant=participant).first()


def export_for(participant: Participant) -> dict[str, Any]:
    neighbourhood = _switched_on()
    if neighbourhood is None:
        return {}
    account = _account(participant)
    movements = (
        Movement.objects.filter(account=account).select_related("transfer").order_by("transfer_id")
        if account
        else []
    )
    return {
        "credits": {
            "name": neighbourhood.credit_name,
            "balance": str(balance(account)) if account else "0",
            "movements": [
                {
                    "transfer": movement.transfer_id,
                    "kind": movement.transfer.kind,
                    "description": movement.transfer.description,
                    "made_at": as_iso(movement.transfer.made_at),
                    "amount": str(movement.amount),
                }
                for movement in movements
            ],
        }
    }


def erase_for(participant: Participant, erased_by: Any) -> dict[str, int]:
    account = _account(participant)
    if account is None or _switched_on() is None:
        return {}
    held = balance(account)
    if held <= 0:
        return {}
    make_transfer(
        kind=Transfer.Kind.EXPIRY,
        postings=[(account, -held), (account_for(kind=Account.Kind.NEIGHBOURHOOD_ISSUING), held)],
        by=erased_by,
        description=_("Participant erased: their balance returned"),
    )
    return {"credit_balance_returned": 1}
