"""The statistics tests' world: a hand-made history in neighbourhood A, built through the
services at the dates each event happened (time-machine), for the reporting year
1 July 2024 – 30 June 2025."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django_tenants.utils import tenant_context

from tenants.brokerage.models import RoutingStep
from tenants.brokerage.services import log_support_conversation, move_trajectory, start_trajectory
from tenants.market.services.ads import confirm_ad, place_ad
from tenants.market.services.placing import record_reciprocity_prompt, take_reciprocity_prompt
from tenants.mediations.services import record_placement, set_mediation_status, start_mediation
from tenants.organisations.services import create_organisation
from tenants.people.models import ConsentTopic
from tenants.people.services.consents import give_consent, update_profile, withdraw_consent
from tenants.people.services.participants import register_participant
from tenants.referrals.services import record_group_visit, record_referral
from tenants.responding.services.responses import respond_to_ad
from tests.support.factories import broker_ad

D = datetime.date
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(day: datetime.date, hour: int = 12) -> Any:
    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)
    return time_machine.travel(moment, tick=False)


@dataclass
class History:
    people: dict[str, Any] = field(default_factory=dict)
    organisation: Any = None


def build_history(broker: Any) -> History:
    """The events; the expected numbers are written beside each test that reads them."""
    history = History()
    p = history.people

    def person(name: str, day: datetime.date, heard_via: str = "", email: str = "") -> Any:
        with at(day):
            p[name] = register_participant(
                display_name=name,
                full_name=f"{name} Testpersoon",
                email=email or f"{name.lower()}@voorbeeld.test",
                phone=f"06{len(p):08d}",
                heard_via=heard_via,
                registered_by=broker,
            )

    person("Ann", D(2024, 6, 15))
    person("Bob", D(2024, 8, 1), "poster")
    person("Cas", D(2024, 8, 1), "poster")
    person("Dirk", D(2024, 8, 2), "website")
    person("Eva", D(2024, 8, 3))
    person("Gijs", D(2024, 7, 10), "word_of_mouth")
    person("Fien", D(2025, 7, 1), "poster")  # after the year
    with at(D(2024, 7, 1)):
        history.organisation = create_organisation(by=broker, name="Buurthuis De Linde")
    organisation = history.organisation

    # Ads (a broker's ad is published at once; Cas places his own and confirms it).
    with at(D(2024, 5, 1)):
        broker_ad(p["Ann"], "request", "Hulp bij de computer", "Wie helpt mij met mailen?")
    with at(D(2024, 8, 5)):
        bob_offer = broker_ad(p["Bob"], "offer", "Ik boor gaten", "Ik heb een klopboor.")
        prompt = record_reciprocity_prompt(source_ad=bob_offer)
    with at(D(2024, 8, 6)):
        bob_request = broker_ad(p["Bob"], "request", "Wie leest voor?", "Samen de krant lezen.")
        take_reciprocity_prompt(prompt=prompt, ad=bob_request)
    with at(D(2025, 1, 15)):
        cas_offer = confirm_ad(
            ad=place_ad(participant=p["Cas"], kind="offer", body="Ik geef pianoles aan kinderen.")
        )
        record_reciprocity_prompt(source_ad=cas_offer)
    with at(D(2024, 11, 1)):
        broker_ad(
            p["Gijs"], "vacancy", "Gastheer gezocht", "Koffie schenken.", organisation=organisation
        )
    with at(D(2025, 2, 1)):
        respond_to_ad(
            ad=cas_offer, display_name="Dirk", message="Mijn dochter wil les.", signed_in=p["Dirk"]
        )

    # Mediations, each with its start and (where it ended) its end.
    def mediation(
        requester: str,
        start: datetime.date,
        *,
        active: bool,
        provider: str = "",
        status: str = "open",
        end: datetime.date | None = None,
        ads: tuple[Any, ...] = (),
    ) -> None:
        m = start_mediation(
            requester=p[requester],
            provider=p[provider] if provider else None,
            organisation=None if provider else organisation,
            ads=ads,
            active=active,
            started_on=start,
        )
        if status != "open":
            set_mediation_status(
                mediation=m, status=status, ended_on=end, reason="Afgesproken met beiden."
            )

    mediation("Ann", D(2024, 6, 30), provider="Bob", active=True, status="match", end=D(2024, 7, 1))
    mediation("Bob", D(2024, 9, 1), provider="Cas", active=True, status="match", end=D(2024, 9, 11))
    mediation(
        "Cas",
        D(2024, 10, 1),
        provider="Bob",
        active=False,
        status="match",
        end=D(2024, 10, 21),
        ads=(bob_offer,),
    )
    mediation(
        "Dirk", D(2025, 6, 30), provider="Eva", active=True, status="no_match", end=D(2025, 7, 1)
    )
    mediation("Eva", D(2024, 12, 1), active=True, status="cancelled", end=D(2024, 12, 5))
    mediation("Ann", D(2025, 1, 10), provider="Dirk", active=False)

    # The self-reported profile: five consenting answers, one withdrawn.
    answers = {
        "Ann": {"gender": "woman", "born_abroad": "yes", "paid_work": "no", "household": "alone"},
        "Bob": {"gender": "woman", "born_abroad": "no", "paid_work": "no", "household": "alone"},
        "Cas": {
            "gender": "man",
            "born_abroad": "no",
            "paid_work": "no",
            "household": "with_partner",
        },
        "Dirk": {"gender": "woman", "born_abroad": "no", "paid_work": "yes"},
        "Eva": {"gender": "unknown", "born_abroad": "yes", "paid_work": "yes"},
        "Gijs": {"gender": "man", "born_abroad": "no", "paid_work": "no", "household": "alone"},
    }
    # Age bands: all five who stand answered (Gijs withdrew, so his band does not count).
    ages = {"Ann": "75_plus", "Bob": "65_74", "Cas": "65_74", "Dirk": "25_44", "Eva": "45_64"}
    ages["Gijs"] = "under_25"
    for name, given in answers.items():
        given = {**given, "age_band": ages[name]}
        give_consent(participant=p[name], topic=ConsentTopic.SELF_REPORTED, recorded_by=broker)
        update_profile(participant=p[name], changed_by=broker, **given)
    withdraw_consent(participant=p["Gijs"], topic=ConsentTopic.SELF_REPORTED, withdrawn_by=broker)

    # Support and routing.
    for name, day in (
        ("Bob", D(2024, 8, 10)),
        ("Bob", D(2024, 9, 10)),
        ("Eva", D(2025, 3, 1)),
        ("Eva", D(2025, 7, 5)),
    ):
        log_support_conversation(
            participant=p[name], by=broker, channel="phone", summary="Gesproken.", held_on=day
        )
    steps = list(RoutingStep.objects.filter(is_active=True).order_by("position", "id"))
    with at(D(2024, 6, 1)):
        start_trajectory(participant=p["Cas"], by=broker)
    with at(D(2024, 8, 1)):
        start_trajectory(participant=p["Bob"], by=broker)
    with at(D(2024, 9, 1)):
        move_trajectory(participant=p["Bob"], to_step=steps[1], by=broker)
    with at(D(2025, 7, 2)):
        start_trajectory(participant=p["Eva"], by=broker)

    # Volunteering, referrals, group visits.
    record_placement(
        participant=p["Gijs"], organisation=organisation, started_on=D(2024, 11, 1), by=broker
    )
    record_placement(
        participant=p["Eva"], organisation=organisation, started_on=D(2025, 1, 1), by=broker
    )
    for name, day, role in (
        ("Bob", D(2024, 7, 15), "huisarts"),
        ("Cas", D(2024, 8, 15), " Huisarts "),
        ("Eva", D(2025, 6, 30), ""),
    ):
        record_referral(
            direction="in",
            participant=p[name],
            referred_on=day,
            reason="Weinig contacten.",
            institution="Huisartsenpraktijk Zuid",
            referrer_name="Dr. Jansen",
            referrer_role=role,
            by=broker,
        )
    for name, day, service in (
        ("Bob", D(2024, 9, 1), "debt_help"),
        ("Dirk", D(2025, 7, 1), "course"),
    ):
        record_referral(
            direction="out",
            participant=p[name],
            referred_on=day,
            reason="Hulp bij post.",
            service=service,
            by=broker,
        )
    record_group_visit(
        visited_on=D(2024, 10, 1),
        reached=12,
        group_name="Koffieochtend",
        joined=[p["Gijs"]],
        by=broker,
    )
    record_group_visit(visited_on=D(2025, 6, 30), reached=8, group_name="Ouderavond", by=broker)
    record_group_visit(
        visited_on=D(2024, 6, 29), reached=5, group_name="Buurtfeest", joined=[p["Ann"]], by=broker
    )
    return history


@pytest.fixture
def history(cast: Any) -> Any:
    with tenant_context(cast.a.neighbourhood):
        yield build_history(cast.a.broker.user)
