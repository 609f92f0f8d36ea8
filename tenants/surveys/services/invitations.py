"""Asking: two weeks after a match both sides get the survey, and every participant once a year
around the day they registered; by mail with a one-time link, or held for the broker."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.mediations.models import Mediation, MediationStatus
from tenants.mediations.selectors import mediation_sides
from tenants.people.models import Participant, ParticipantLink
from tenants.people.services.links import issue_link
from tenants.people.services.messages import notify_participant
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from ..models import Occasion, SurveyInvitation

logger = logging.getLogger(__name__)

AFTER_MATCH = datetime.timedelta(days=14)
CATCH_UP = datetime.timedelta(days=14)  # a day the job did not run is made up for this long
FIRST_ANNUAL_AFTER = datetime.timedelta(days=300)  # not in the year someone registered


def survey_path(token: str) -> str:
    return f"/survey/{token}/"


def record_invitation(
    *, participant: Participant, occasion: str, round: str, sent_on: datetime.date
) -> tuple[SurveyInvitation, bool]:
    """The invitation of `participant` for `round` ("match:<id>", "year:<year>"), made now if
    there was none (True). Sends nothing: `invite` does."""
    return SurveyInvitation.objects.get_or_create(
        participant=participant, round=round, defaults={"occasion": occasion, "sent_on": sent_on}
    )


@transaction.atomic
def invite(
    *, participant: Participant, occasion: str, round: str, today: datetime.date
) -> SurveyInvitation | None:
    """Ask `participant` once for `round` by mail (or a message held for the broker) with a
    one-time link; None if they were asked already."""
    invitation, created = record_invitation(
        participant=participant, occasion=occasion, round=round, sent_on=today
    )
    if not created:
        return None
    token = issue_link(
        participant=participant, purpose=ParticipantLink.Purpose.SURVEY, subject_id=invitation.pk
    )
    neighbourhood = current_neighbourhood()
    with translation.override(participant.preferred_language or neighbourhood.default_language):
        body = render_to_string(
            "surveys/mail/invitation.txt",
            {
                "neighbourhood": neighbourhood,
                "name": participant.display_name,
                "after_match": occasion == Occasion.AFTER_MATCH,
                "link": site_url(neighbourhood, survey_path(token)),
            },
        )
        subject = _("Five short questions about TijdVoorElkaar")
    notify_participant(participant=participant, subject=subject, body=body, purpose="survey")
    return invitation


def _matches_due(today: datetime.date) -> list[Mediation]:
    return list(
        Mediation.objects.filter(
            status=MediationStatus.MATCH,
            ended_on__lte=today - AFTER_MATCH,
            ended_on__gt=today - AFTER_MATCH - CATCH_UP,
        ).select_related("requester", "provider", "response__ad__participant")
    )


def _anniversaries(today: datetime.date) -> Q:
    days = [today - datetime.timedelta(days=back) for back in range(CATCH_UP.days)]
    condition = Q()
    for day in days:
        condition |= Q(created_at__month=day.month, created_at__day=day.day)
        if day.month == 3 and day.day == 1 and day.year % 4:  # not a leap year: 29 February
            condition |= Q(created_at__month=2, created_at__day=29)
    return condition


def _annual_due(today: datetime.date) -> list[Participant]:
    asked = SurveyInvitation.objects.filter(round=f"year:{today.year}").values("participant")
    return list(
        Participant.objects.filter(
            _anniversaries(today),
            erased_at__isnull=True,
            created_at__date__lte=today - FIRST_ANNUAL_AFTER,
        ).exclude(pk__in=asked)
    )


def send_surveys(*, today: datetime.date | None = None) -> int:
    """Send every survey due today: after a match, and the yearly one. Returns how many were
    sent. Each in its own transaction: one failure does not stop the rest."""
    today = today or timezone.localdate()
    due = [
        (side, Occasion.AFTER_MATCH, f"match:{mediation.pk}")
        for mediation in _matches_due(today)
        for side in mediation_sides(mediation)
        if side.erased_at is None
    ] + [(person, Occasion.ANNUAL, f"year:{today.year}") for person in _annual_due(today)]
    sent = 0
    for participant, occasion, round in due:
        try:
            sent += (
                invite(participant=participant, occasion=occasion, round=round, today=today)
                is not None
            )
        except Exception as error:  # noqa: BLE001 - go on with the others; ids only in the log
            logger.error("Survey for %s failed: %s", participant.pk, type(error).__name__)
    return sent
