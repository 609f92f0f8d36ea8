""" "Did it work out?": two weeks after a response, both sides of the mediation it opened get a
question by mail with a yes link and a no link. Their answers go to the mediations app
(`record_feedback`), which owns the rules that turn them into a status; this module only asks.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.mediations.models import Mediation, MediationStatus
from tenants.mediations.selectors import (
    due_participant_follow_ups,
    mediation_sides,
    participant_follow_up_to_ask,
)
from tenants.mediations.services import mark_participants_asked
from tenants.people.models import Participant, ParticipantLink
from tenants.people.services.links import issue_link
from tenants.people.services.messages import notify_participant
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

logger = logging.getLogger(__name__)


def _other_side(mediation: Mediation, participant: Participant) -> str:
    if mediation.organisation is not None and participant.pk == mediation.requester_id:
        return mediation.organisation.name
    for side in mediation_sides(mediation):
        if side.pk != participant.pk:
            return side.display_name
    return ""


def _ask(mediation: Mediation, participant: Participant) -> None:
    token = issue_link(
        participant=participant, purpose=ParticipantLink.Purpose.OUTCOME, subject_id=mediation.pk
    )
    neighbourhood = current_neighbourhood()
    language = participant.preferred_language or neighbourhood.default_language
    ad = mediation.response.ad if mediation.response is not None else None
    with translation.override(language):
        body = render_to_string(
            "responding/mail/outcome_question.txt",
            {
                "neighbourhood": neighbourhood,
                "name": participant.display_name,
                "other": _other_side(mediation, participant),
                "ad": ad,
                "yes_link": site_url(neighbourhood, f"/outcome/{token}/yes/"),
                "no_link": site_url(neighbourhood, f"/outcome/{token}/no/"),
            },
        )
        subject = _("Did it work out?")
    notify_participant(
        participant=participant, subject=subject, body=body, purpose="market.outcome"
    )


@transaction.atomic
def send_outcome_question(*, follow_up_id: int) -> bool:
    """Ask both sides of one due follow-up and mark it done. False if nothing was due (done
    meanwhile, or taken by another worker)."""
    follow_up = participant_follow_up_to_ask(follow_up_id)
    if follow_up is None or follow_up.mediation.status != MediationStatus.OPEN:
        return False
    for participant in mediation_sides(follow_up.mediation):
        _ask(follow_up.mediation, participant)
    mark_participants_asked(follow_up=follow_up)
    return True


def ask_outcomes(*, today: datetime.date | None = None) -> int:
    """Send every due "did it work out?" question of open mediations; returns how many
    follow-ups were sent. Each in its own transaction: one failure does not stop the rest."""
    today = today or timezone.localdate()
    sent = 0
    for follow_up_id in due_participant_follow_ups(today):
        try:
            sent += send_outcome_question(follow_up_id=follow_up_id)
        except Exception as error:  # noqa: BLE001 - go on with the others; ids only in the log
            logger.error("Outcome question %s failed: %s", follow_up_id, type(error).__name__)
    return sent
