"""'Did it work out?': two weeks after a response, both sides of the mediation it opened get a
one-click question; their answers mark the mediation a match or not.

Rules (`record_feedback`):
- a "yes" from either side makes it a match;
- otherwise a "no" (from one side while the other has not said yes, or from both) makes it
  no match;
- an answer may be changed with the same link while it is valid: a later "yes" corrects a
  "no" (the mediation is reopened, then marked a match), and the other way round.
A mediation the broker cancelled keeps its status; the answer is still recorded.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.mediations.models import Feedback, FollowUp, Mediation, MediationStatus
from tenants.mediations.services import set_mediation_status
from tenants.people.models import Participant, ParticipantLink
from tenants.people.services.links import issue_link
from tenants.people.services.messages import notify_participant
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood, site_url

logger = logging.getLogger(__name__)


def mediation_sides(mediation: Mediation) -> list[Participant]:
    """The people asked: the requester and the provider, or for a vacancy the participant who
    placed it for the organisation."""
    other = mediation.provider
    if other is None and mediation.response is not None:
        other = mediation.response.ad.participant
    return [p for p in (mediation.requester, other) if p is not None]


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
            "market/mail/outcome_question.txt",
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


def due_outcome_questions(today: datetime.date) -> list[int]:
    return list(
        FollowUp.objects.filter(
            kind=FollowUp.Kind.ASK_PARTICIPANTS,
            done_at__isnull=True,
            due_on__lte=today,
            mediation__status=MediationStatus.OPEN,
        )
        .order_by("due_on", "id")
        .values_list("id", flat=True)
    )


@transaction.atomic
def send_outcome_question(*, follow_up_id: int) -> bool:
    """Ask both sides of one due follow-up and mark it done. False if nothing was due (done
    meanwhile, or taken by another worker)."""
    follow_up = (
        FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related(
            "mediation__requester",
            "mediation__provider",
            "mediation__organisation",
            "mediation__response__ad__participant",
        )
        .filter(pk=follow_up_id, done_at__isnull=True)
        .first()
    )
    if follow_up is None or follow_up.mediation.status != MediationStatus.OPEN:
        return False
    for participant in mediation_sides(follow_up.mediation):
        _ask(follow_up.mediation, participant)
    follow_up.done_at = timezone.now()
    follow_up.note = "asked"
    follow_up.save(update_fields=["done_at", "note"])
    return True


def ask_outcomes(*, today: datetime.date | None = None) -> int:
    """Send every due "did it work out?" question of open mediations; returns how many
    follow-ups were sent. Each in its own transaction: one failure does not stop the rest."""
    today = today or timezone.localdate()
    sent = 0
    for follow_up_id in due_outcome_questions(today):
        try:
            sent += send_outcome_question(follow_up_id=follow_up_id)
        except Exception as error:  # noqa: BLE001 - go on with the others; ids only in the log
            logger.error("Outcome question %s failed: %s", follow_up_id, type(error).__name__)
    return sent


def _decided_status(mediation: Mediation) -> MediationStatus | None:
    answers = {
        f.participant_id: f.worked_out
        for f in Feedback.objects.filter(mediation=mediation)
        if f.participant_id in {p.pk for p in mediation_sides(mediation)}
    }
    if any(answers.values()):
        return MediationStatus.MATCH
    if answers:
        return MediationStatus.NO_MATCH
    return None


@transaction.atomic
def record_feedback(
    *, mediation: Mediation, participant: Participant, worked_out: bool
) -> Feedback:
    """Store (or change) one side's answer and set the mediation's status from the answers
    (see the module's docstring)."""
    mediation = (
        Mediation.objects.select_for_update(of=("self",))
        .select_related("requester", "provider", "organisation", "response__ad__participant")
        .get(pk=mediation.pk)
    )
    if participant.pk not in {p.pk for p in mediation_sides(mediation)}:
        raise ValidationError(_("This question was not meant for you."))
    feedback, created = Feedback.objects.get_or_create(
        mediation=mediation, participant=participant, defaults={"worked_out": worked_out}
    )
    if not created and feedback.worked_out != worked_out:
        feedback.worked_out = worked_out
        feedback.save(update_fields=["worked_out"])
    target = _decided_status(mediation)
    current = MediationStatus(mediation.status)
    if target is not None and current != MediationStatus.CANCELLED and target != current:
        if current != MediationStatus.OPEN:
            mediation = set_mediation_status(mediation=mediation, status=MediationStatus.OPEN)
        set_mediation_status(
            mediation=mediation,
            status=target,
            reason=_("The participants answered: it did not work out.")
            if target == MediationStatus.NO_MATCH
            else "",
        )
    record_audit_event(
        actor=None,
        action="mediation.feedback",
        target=mediation,
        detail={"participant": participant.pk, "worked_out": worked_out},
    )
    return feedback
