"""Writing survey answers: through the participant's one-time link, or entered by a broker from a
paper form. The answer row never names the participant; the invitation only says "answered"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tenants.audit.services import record_audit_event
from tenants.people.models import ParticipantLink
from tenants.people.services.links import LinkProblem, redeem_link

from ..models import Channel, Neighbours, SurveyAnswer, SurveyInvitation

PAPER_ENTERED = "survey.paper_entered"


@dataclass(frozen=True)
class Answers:
    """What someone answered; None is a question left open."""

    satisfied_exchange: bool | None = None
    satisfied_broker: bool | None = None
    neighbours: int | None = None
    lasting_contact: bool | None = None
    remark: str = ""

    def checked(self) -> Answers:
        if self.neighbours is not None and self.neighbours not in Neighbours.values:
            raise ValidationError({"neighbours": "Choose none, one, or two or more."})
        if len(self.remark) > 2000:
            raise ValidationError({"remark": "At most 2000 characters."})
        return self


def _store(
    *, invitation: SurveyInvitation, channel: str, answered_on: date, answers: Answers
) -> SurveyAnswer:
    answers = answers.checked()
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered:
        raise ValidationError({"invitation": "This survey has already been answered."})
    invitation.answered = True
    invitation.save(update_fields=["answered"])
    return SurveyAnswer.objects.create(
        answered_on=answered_on,
        occasion=invitation.occasion,
        channel=channel,
        satisfied_exchange=answers.satisfied_exchange,
        satisfied_broker=answers.satisfied_broker,
        neighbours=answers.neighbours,
        lasting_contact=answers.lasting_contact,
        remark=answers.remark.strip(),
    )


@transaction.atomic
def answer_by_link(*, token: str, answers: Answers) -> SurveyAnswer:
    """Store the answers of the person the link was sent to, and use the link up. Raises
    LinkProblem ("unknown", "expired", "used"; "used" too when a broker entered the paper
    form meanwhile) and ValidationError for answers out of range. Not audited: an audit
    entry with a time and a person is exactly the link this app keeps out of the data."""
    answers.checked()
    link = redeem_link(token=token, purpose=ParticipantLink.Purpose.SURVEY)
    invitation = SurveyInvitation.objects.filter(
        pk=link.subject_id, participant=link.participant
    ).first()
    if invitation is None or invitation.answered:
        raise LinkProblem("used", link)
    return _store(
        invitation=invitation,
        channel=Channel.LINK,
        answered_on=timezone.localdate(),
        answers=answers,
    )


@transaction.atomic
def enter_paper_answers(
    *, invitation: SurveyInvitation, answered_on: date, answers: Answers, entered_by: Any
) -> SurveyAnswer:
    """A broker enters the answers from someone's paper form. The audit log says a paper form
    was entered, not whose (that would tie the person to the answer)."""
    if answered_on > timezone.localdate():
        raise ValidationError(
            {"answered_on": "The form cannot have been filled in later than today."}
        )
    if answered_on < invitation.sent_on:
        raise ValidationError({"answered_on": "The form was filled in before it was sent."})
    answer = _store(
        invitation=invitation, channel=Channel.PAPER, answered_on=answered_on, answers=answers
    )
    record_audit_event(actor=entered_by, action=PAPER_ENTERED)
    return answer
