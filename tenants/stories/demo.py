"""Demo content: a published success story of a match the mediations demo made, with the
consent of both people it names, recorded through the services (none without a match)."""

from __future__ import annotations

from tenants.mediations.models import MediationStatus
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import Story
from .selectors import matched_mediations, named_people
from .services import give_story_consent, publish_story, write_story

TITLE = "Elke week samen boodschappen"
TEXT = (
    "{asking} vond het lastig om alleen naar de supermarkt te gaan. Via de makelaar leerde "
    "{asking} {giving} kennen, die twee straten verderop woont.\n\n"
    "Nu gaan ze elke donderdag samen boodschappen doen, met koffie na afloop. "
    "“Ik kijk er de hele week naar uit,” zegt {asking}. {giving}: “Ik ook. Het is gezellig, en "
    "ik ken nu veel meer mensen in de buurt.”"
)


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    if Story.objects.exists():
        return  # once
    mediation = (
        matched_mediations()
        .filter(status=MediationStatus.MATCH, provider__isnull=False)
        .order_by("ended_on", "id")
        .first()
    )
    if mediation is None:
        return
    broker = User.objects.filter(role=Role.BROKER).order_by("id").first()
    names = {"asking": mediation.requester.display_name, "giving": mediation.provider.display_name}
    story = write_story(mediation=mediation, title=TITLE, text=TEXT.format(**names), by=broker)
    for person in named_people(mediation):
        give_story_consent(story=story, participant=person, by=broker)
    publish_story(story=story, by=broker)
