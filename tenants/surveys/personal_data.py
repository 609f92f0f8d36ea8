"""Its part of a participant's export and erasure: the invitations (the answers never named
anyone)."""

from __future__ import annotations

from typing import Any

from tenants.people.models import Participant

from .models import SurveyInvitation


def erase_participant(participant: Participant, erased_by: Any) -> dict[str, int]:
    deleted, _detail = SurveyInvitation.objects.filter(participant=participant).delete()
    return {"survey_invitations": deleted}


def export_participant(participant: Participant) -> dict[str, Any]:
    """That they were asked and whether they answered; what they answered is not theirs to
    look up: it was stored without their name."""
    return {
        "survey_invitations": [
            {"occasion": row.occasion, "sent_on": row.sent_on.isoformat(), "answered": row.answered}
            for row in SurveyInvitation.objects.filter(participant=participant).order_by("sent_on")
        ]
    }
