"""The credit as the neighbourhood calls it: "1 Roosje", "2 Roosjes", "0,5 Roosje".

`credit_name` is the plural the neighbourhood chose, `credit_name_singular` what one is
called (empty: the plural serves for one too). The neighbourhood's own word is the same in
every language; the number is written as the reader's language writes it (0,5 in Dutch).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .models import amount_text


def credit_word(
    amount: Decimal | int | None = None, neighbourhood: Neighbourhood | None = None
) -> str:
    """The credit's name for `amount` of them: the singular for one (and for a half or a
    quarter: "0,5 Roosje" reads as a part of one), else the plural; the plural without one."""
    neighbourhood = neighbourhood or current_neighbourhood()
    if amount is not None and 0 < abs(Decimal(amount)) <= 1:
        return neighbourhood.credit_name_singular or neighbourhood.credit_name
    return neighbourhood.credit_name


def amount_display(amount: Decimal | int, *, signed: bool = False) -> str:
    """An amount in the reader's way of writing numbers: 2, 0,5 (nl) or 0.5 (en), +1,25."""
    text = formats.number_format(Decimal(amount_text(abs(Decimal(amount)))), use_l10n=True)
    if signed:
        return ("−" if amount < 0 else "+") + text
    return ("−" if amount < 0 else "") + text


def credits_text(
    amount: Decimal | int, *, signed: bool = False, neighbourhood: Neighbourhood | None = None
) -> str:
    """ "2 Roosjes", "+1 Roosje", "−0,5 Roosje"."""
    return f"{amount_display(amount, signed=signed)} {credit_word(amount, neighbourhood)}"
