"""Demo mediations for a demo neighbourhood: built from the participants and ads the people
and market demos made (nothing happens when there are none)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tenants.market.models import Ad, AdKind, AdStatus
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import MediationStatus
from .services import record_placement, set_mediation_status, start_mediation

# (started days ago, active, status, days until it ended, reason)
STORIES = [
    (410, True, MediationStatus.MATCH, 30, "Ze doen nog steeds elke week samen boodschappen."),
    (365, False, MediationStatus.MATCH, 21, "Via de site gevonden; beiden zijn tevreden."),
    (330, True, MediationStatus.NO_MATCH, 20, "De tijden pasten niet: mevrouw werkt in ploegen."),
    (290, True, MediationStatus.MATCH, 45, "De huiswerkbegeleiding loopt het hele schooljaar."),
    (240, False, MediationStatus.CANCELLED, 5, "De vraag was al opgelost door familie."),
    (200, True, MediationStatus.MATCH, 28, "De tuin is opgeknapt en ze houden contact."),
    (
        150,
        True,
        MediationStatus.NO_MATCH,
        14,
        "Het klikte niet; er wordt een nieuwe koppeling gezocht.",
    ),
    (100, False, MediationStatus.NO_MATCH, 30, "De aanbieder reageerde niet meer."),
    (60, True, MediationStatus.MATCH, 21, "Ze wandelen elke dinsdag samen met de hond."),
    (45, True, MediationStatus.CANCELLED, 3, "Meneer is verhuisd naar een andere wijk."),
    (16, True, MediationStatus.OPEN, 0, ""),
    (13, True, MediationStatus.OPEN, 0, ""),
    (15, False, MediationStatus.OPEN, 0, ""),
    (4, True, MediationStatus.OPEN, 0, ""),
]


def _pairs(participants: list[Participant]) -> list[tuple[Participant, Participant, list[Ad]]]:
    """Requester, provider and their ads: a request matched with an offer of someone else where
    the market demo made them, otherwise neighbours in the list."""
    requests = list(
        Ad.objects.filter(kind=AdKind.REQUEST, status=AdStatus.PUBLISHED).select_related(
            "participant"
        )
    )
    offers = list(
        Ad.objects.filter(kind=AdKind.OFFER, status=AdStatus.PUBLISHED).select_related(
            "participant"
        )
    )
    pairs = []
    for index in range(len(STORIES)):
        if requests and offers:
            request = requests[index % len(requests)]
            offer = offers[index % len(offers)]
            if request.participant_id != offer.participant_id:
                pairs.append((request.participant, offer.participant, [request, offer]))
                continue
        first = participants[index % len(participants)]
        second = participants[(index + 1) % len(participants)]
        pairs.append((first, second, []))
    return pairs


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    participants = list(Participant.objects.filter(erased_at__isnull=True).order_by("id")[:40])
    if len(participants) < 2:
        return
    today = timezone.localdate()
    for (requester, provider, ads), (days_ago, active, status, lasted, reason) in zip(
        _pairs(participants), STORIES, strict=True
    ):
        started_on = today - datetime.timedelta(days=days_ago)
        mediation = start_mediation(
            requester=requester, provider=provider, ads=ads, active=active, started_on=started_on
        )
        if status != MediationStatus.OPEN:
            set_mediation_status(
                mediation=mediation,
                status=status,
                ended_on=min(started_on + datetime.timedelta(days=lasted), today),
                reason=reason,
            )
    organisations = list(Organisation.objects.order_by("id")[:2])
    if not organisations:
        return
    for index in range(2):  # two placements, at two organisations where there are two
        organisation = organisations[index % len(organisations)]
        vacancy = (
            Ad.objects.filter(kind=AdKind.VACANCY, organisation=organisation).order_by("id").first()
        )
        record_placement(
            participant=participants[-1 - index],
            organisation=organisation,
            vacancy=vacancy,
            started_on=today - datetime.timedelta(days=90 + 60 * index),
            by=None,
        )
