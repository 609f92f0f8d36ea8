"""A participant's credits on their timeline, for the broker. While credits are off there is
nothing: no trace of them anywhere (the read runs all the same, in the page's one statement)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext_noop

from tenants.people.models import Participant
from tenants.people.timeline import Found, TimelineEntry, TimelineSource
from tijdvoorelkaar.combined_reads import Rows
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.words import Words, in_active_language

from .models import Movement, Transfer
from .naming import credits_text


def _reads(participant: Participant) -> dict[str, Rows]:
    movements = Movement.objects.filter(
        account__participant=participant, account__kind="participant"
    )
    return {
        "movements": Rows(
            movements.values(
                "amount",
                made_at=F("transfer__made_at"),
                description=F("transfer__description"),
                transfer_kind=F("transfer__kind"),
            )
        )
    }


_MOVED = Words({"moved": gettext_noop("%(amount)s: %(description)s")})
_KINDS = Words.of_choices(Transfer.Kind)


def _entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    neighbourhood = current_neighbourhood()
    if not neighbourhood.credits_enabled:
        return []
    words, kinds = in_active_language(_MOVED, _KINDS)
    moved = words["moved"]

    def amount(movement: dict[str, Any]) -> str:
        return credits_text(movement["amount"], signed=True, neighbourhood=neighbourhood)

    return [
        TimelineEntry(
            at=movement["made_at"],
            kind="credits",
            title=moved % {"amount": amount(movement), "description": movement["description"]},
            detail=str(kinds.get(movement["transfer_kind"], movement["transfer_kind"])),
        )
        for movement in found["movements"]
    ]


TIMELINE = TimelineSource(reads=_reads, entries=_entries)
