"""Demo survey answers over two years: invitations after the demo's matches and once a year,
most answered, a few still open, and one fresh invitation by mail so the demo inbox holds a
survey to click. Past answers go in as paper forms: an answer through the link is dated the
day it is given, so only the paper route can date one in the past."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from tenants.mediations.models import Mediation, MediationStatus
from tenants.mediations.selectors import mediation_sides
from tenants.people.models import Participant
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import Occasion
from .services.answers import Answers, enter_paper_answers
from .services.invitations import invite, record_invitation

REMARKS = (
    "Fijn dat het zo makkelijk ging.",
    "Ik wist niet dat er zoveel mensen in de buurt iets wilden doen.",
    "De makelaar belde snel terug, dat scheelde.",
    "Graag meer activiteiten in het buurthuis.",
)


def _answers(chance: random.Random) -> Answers:
    return Answers(
        satisfied_exchange=chance.random() < 0.85,
        satisfied_broker=chance.random() < 0.9 if chance.random() < 0.9 else None,
        neighbours=chance.choices((0, 1, 2), weights=(2, 5, 3))[0],
        lasting_contact=chance.random() < 0.45,
        remark=chance.choice(REMARKS) if chance.random() < 0.2 else "",
    )


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    chance = random.Random(f"surveys-{neighbourhood.slug}")  # noqa: S311 - demo, not secrets
    today = timezone.localdate()
    asked = []
    for mediation in Mediation.objects.filter(status=MediationStatus.MATCH).select_related(
        "requester", "provider", "response__ad__participant"
    ):
        sent_on = mediation.ended_on + timedelta(days=14) if mediation.ended_on else None
        if sent_on is not None and sent_on < today:
            for side in mediation_sides(mediation):
                asked.append((side, Occasion.AFTER_MATCH, f"match:{mediation.pk}", sent_on))
    participants = list(Participant.objects.filter(erased_at__isnull=True).order_by("pk"))
    for years_ago in (2, 1):
        for person in participants:
            sent_on = today - timedelta(days=365 * years_ago - chance.randrange(300))
            asked.append((person, Occasion.ANNUAL, f"year:{sent_on.year}", sent_on))
    for participant, occasion, round, sent_on in asked:
        invitation, created = record_invitation(
            participant=participant, occasion=occasion, round=round, sent_on=sent_on
        )
        if created and chance.random() < 0.7:  # most answer; the rest stay open for the paper form
            enter_paper_answers(
                invitation=invitation,
                answered_on=min(sent_on + timedelta(days=chance.randrange(12)), today),
                answers=_answers(chance),
                entered_by=None,
            )
    with_mail = next((p for p in participants if p.email), None)
    if with_mail is not None:
        invite(
            participant=with_mail, occasion=Occasion.ANNUAL, round=f"year:{today.year}", today=today
        )
