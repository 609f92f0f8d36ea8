"""A participant's credits on their timeline, for the broker (one query, whatever the
number). While credits are off there is nothing: no trace of them anywhere."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.timeline import TimelineEntry
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .models import Movement
from .naming import credits_text


def entries_for(participant: Participant) -> list[TimelineEntry]:
    neighbourhood = current_neighbourhood()
    if not neighbourhood.credits_enabled:
        return []
    movements = Movement.objects.filter(
        account__participant=participant, account__kind="participant"
    ).select_related("transfer")
    return [
        TimelineEntry(
            at=movement.transfer.made_at,
            kind="credits",
            title=_("%(amount)s: %(description)s")
            % {
                "amount": credits_text(movement.amount, signed=True, neighbourhood=neighbourhood),
                "description": movement.transfer.description,
            },
            detail=str(movement.transfer.get_kind_display()),
        )
        for movement in movements
    ]
