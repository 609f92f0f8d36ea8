"""Demo content where credits are on (Utrecht Zuid; Breda runs without and gets none):
organisations that rewarded their volunteers, thank-you gifts after matches, and one
reversal of a reward entered twice. All through the services, so the demo keeps the
ledger's rules."""

from __future__ import annotations

from decimal import Decimal

from tenants.mediations.models import Mediation, MediationStatus
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .demo_exchange import add_offers_and_vouchers
from .models import Transfer
from .services import give_credits, reverse_transfer, reward_participants

MARKET = "Meegeholpen bij de buurtmarkt"


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    if not neighbourhood.credits_enabled or Transfer.objects.exists():
        return
    organisations = list(Organisation.objects.order_by("id")[:2])
    people = list(Participant.objects.filter(erased_at=None).order_by("id")[:8])
    if len(organisations) < 2 or not people:
        return
    matches = list(
        Mediation.objects.filter(status=MediationStatus.MATCH, provider__isnull=False)
        .select_related("requester", "provider")
        .order_by("id")[:4]
    )
    volunteers = people + [m.requester for m in matches if m.requester not in people]

    def reward(recipients: list[Participant], amount: str, organisation: Organisation, text: str):  # type: ignore[no-untyped-def]
        return reward_participants(
            recipients=recipients,
            amount_each=Decimal(amount),
            organisation=organisation,
            by=None,
            description=text,
        )

    reward(volunteers, "2", organisations[0], "Kerstactie: 2 voor elke vrijwilliger")
    reward(people[-3:], "1.5", organisations[1], MARKET)
    entered_twice = reward(people[-3:], "1.5", organisations[1], MARKET)
    reverse_transfer(transfer=entered_twice, by=None, reason="Dubbel ingevoerd")
    thanked: set[int] = set()
    for mediation in matches:
        if mediation.requester_id in thanked:
            continue
        thanked.add(mediation.requester_id)
        give_credits(
            giver=mediation.requester,
            receiver=mediation.provider,  # type: ignore[arg-type]
            amount=Decimal(1),
            by=None,
            description="Bedankt voor uw hulp",
            mediation=mediation,
        )
    add_offers_and_vouchers()  # offers and vouchers: demo_exchange.py
