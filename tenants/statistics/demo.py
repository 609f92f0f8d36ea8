"""Demo history for the report: two reporting years of a neighbourhood's life, made through
the services with the dates they accept (mediations, their endings, referrals, group visits,
placements), then a report computed for the standard periods.

The services stamp registrations, ads and credit transfers with the present moment; the
demo moves those stamps back afterwards (demo timestamps only, as the market's and the
workspace's demos do), so that the two years read like real ones."""

from __future__ import annotations

import datetime
import random
import unicodedata
from decimal import Decimal

from django.utils import timezone

from tenants.credits.models import Transfer
from tenants.credits.services import reward_participants
from tenants.market.models import Ad, AdKind, AdStatus, Category
from tenants.market.services.ads import confirm_ad, expire_ads, place_ad
from tenants.market.services.placing import record_reciprocity_prompt, take_reciprocity_prompt
from tenants.mediations.models import MediationStatus
from tenants.mediations.services import record_placement, set_mediation_status, start_mediation
from tenants.organisations.models import Organisation
from tenants.people.models import Consent, ConsentTopic, Participant
from tenants.people.services.consents import update_profile
from tenants.people.services.registration import enrol_participant
from tenants.referrals.services import record_group_visit, record_referral
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from . import periods
from .services import compute_standard_snapshots

FIRST_NAMES = [
    "Anouk", "Bram", "Chantal", "Daan", "Esra", "Frits", "Gerda", "Hamid", "Ilse", "Jan",
    "Karin", "Lucas", "Mirjam", "Noah", "Olga", "Piet", "Rachida", "Sem", "Truus", "Umut",
    "Vera", "Wim", "Yasmin", "Zoë", "Arie", "Bea", "Cor", "Dewi", "Erik", "Fenna", "Gijs",
    "Hanneke", "Ivo", "Joke", "Kofi", "Lies",
]  # fmt: skip
# (title, text, the English name of the default category it belongs in)
OFFERS = [
    ("Ik help met de computer", "Mailen, foto's versturen of een formulier invullen.",
     "Language and computer help"),
    ("Boodschappen meenemen", "Ik ga elke dinsdag naar de markt en neem graag iets mee.",
     "Shopping and transport"),
    ("Samen wandelen", "Een rondje door het park, met of zonder hond.", "Company and visits"),
    ("Klusjes in huis", "Een lamp ophangen of een kastje in elkaar zetten.", "Odd jobs"),
    ("Taalmaatje", "Nederlands oefenen bij een kop koffie.", "Language and computer help"),
]  # fmt: skip
REQUESTS = [
    ("Wie helpt met de tuin?", "Mijn heg moet gesnoeid worden en ik kan dat niet meer.",
     "Garden"),
    ("Hulp bij huiswerk", "Mijn zoon zit in groep 8 en heeft moeite met rekenen.",
     "Children and homework"),
    ("Gezelschap gezocht", "Ik woon alleen en zou graag af en toe een praatje maken.",
     "Company and visits"),
    ("Vervoer naar het ziekenhuis", "Wie kan mij op donderdag naar de poli brengen?",
     "Shopping and transport"),
    ("Hulp bij het strijken", "Een wasmand per week, ik betaal met koffie en taart.",
     "Odd jobs"),
]  # fmt: skip
# Self-reported age (not drawn from the generator, so the rest of the history stays as it was);
# "" is someone who would rather not say. Older residents weigh more.
AGE_BANDS = ("65_74", "45_64", "75_plus", "", "25_44", "65_74", "under_25", "75_plus", "45_64")

HEARD = ["postcard", "poster", "group_visit", "word_of_mouth", "website", "event", "referral"]
INSTITUTIONS = [
    ("Huisartsenpraktijk", "huisarts"),
    ("Wijkteam", "maatschappelijk werker"),
    ("Thuiszorg", "wijkverpleegkundige"),
]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def _moment(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    rng = random.Random(f"statistics-{neighbourhood.slug}")  # noqa: S311 - demo data
    broker = User.objects.filter(role=Role.BROKER, is_active=True).order_by("id").first()
    today = timezone.localdate()
    this_year = periods.reporting_year_of(today, neighbourhood.reporting_year_start_month)
    first = this_year.previous().start  # type: ignore[union-attr]
    span = (today - first).days
    _backdate_earlier_participants(first, rng)
    people = _history_participants(broker, first, span, rng)
    ads = _history_ads(people, broker, today, rng)
    _history_mediations(people, ads, today, rng)
    expire_ads()  # the backdated ads whose weeks have run out, as the hourly job would
    _history_outreach(people, broker, first, span, today, rng)
    if neighbourhood.credits_enabled:
        _history_credits(people, today, rng)
    compute_standard_snapshots()


def _backdate_earlier_participants(first: datetime.date, rng: random.Random) -> None:
    """The people the other demos made joined in the first months of the two years."""
    for participant in Participant.objects.order_by("id"):
        day = first + datetime.timedelta(days=rng.randint(0, 60))
        _registered_on(participant, day)


def _registered_on(participant: Participant, day: datetime.date) -> None:
    """Moves a registration back to `day`, with the consents given at it (the timeline would
    otherwise show them given on the day the demo was built)."""
    at = _moment(day)
    Participant.objects.filter(pk=participant.pk).update(created_at=at)
    Consent.objects.filter(participant=participant, given_at__gt=at).update(given_at=at)


def _history_participants(
    broker: User | None, first: datetime.date, span: int, rng: random.Random
) -> list[tuple[Participant, datetime.date]]:
    people = []
    for index, name in enumerate(FIRST_NAMES):
        consents = [ConsentTopic.REGISTRATION]
        if index % 2 == 0:
            consents.append(ConsentTopic.SELF_REPORTED)
        participant = enrol_participant(
            registered_by=broker,
            consents=consents,
            confirm_not_duplicate=True,
            display_name=name,
            full_name=f"{name} Jansen-{index}",
            email=f"{_ascii(name)}.{index}@example.nl" if index % 4 else "",
            phone=f"06 3000 {index:04d}",
            heard_via=HEARD[index % len(HEARD)],
        )
        if index % 2 == 0:
            update_profile(
                participant=participant,
                changed_by=broker,
                gender=rng.choice(["woman", "woman", "man", "unknown"]),
                born_abroad=rng.choice(["yes", "no", "no", "no"]),
                paid_work=rng.choice(["yes", "no", "no"]),
                household=rng.choice(["alone", "alone", "with_partner", "with_children"]),
                age_band=AGE_BANDS[index % len(AGE_BANDS)],
            )
        # Registrations grow over the two years, as they did in the pilot.
        joined = datetime.date.fromordinal(
            first.toordinal() + int(span * (index / len(FIRST_NAMES)) ** 0.8)
        )
        _registered_on(participant, joined)
        people.append((participant, joined))
    return people


def _history_ads(
    people: list[tuple[Participant, datetime.date]],
    broker: User | None,
    today: datetime.date,
    rng: random.Random,
) -> list[tuple[Ad, datetime.date]]:
    active = Category.objects.filter(is_active=True).order_by("position")
    by_name, fallback = {c.name_en: c for c in active}, active.first()
    lifetime = datetime.timedelta(weeks=8)
    ads = []
    for index, (participant, joined) in enumerate(people):
        kinds = (
            [AdKind.OFFER, AdKind.REQUEST]
            if index % 3 == 0
            else [rng.choice([AdKind.OFFER, AdKind.REQUEST])]
        )
        for kind in kinds:
            title, body, category_name = rng.choice(OFFERS if kind == AdKind.OFFER else REQUESTS)
            ad = place_ad(
                participant=participant,
                kind=kind,
                title=title,
                body=body,
                category=by_name.get(category_name, fallback),
                placed_by_broker=broker if index % 2 else None,
            )
            if ad.status == AdStatus.UNCONFIRMED:
                ad = confirm_ad(ad=ad)
            if ad.status != AdStatus.PUBLISHED:
                continue  # waiting for the broker's approval (moderation first)
            placed = min(joined + datetime.timedelta(days=rng.randint(0, 20)), today)
            at = _moment(placed)
            Ad.objects.filter(pk=ad.pk).update(
                created_at=at,
                confirmed_at=at,
                published_at=at,
                expires_at=at + lifetime,
            )
            ad.refresh_from_db()
            ads.append((ad, placed))
        if len(kinds) == 2 and len(ads) >= 2 and ads[-2][0].participant_id == participant.pk:
            # the second placed after the prompt "and do you also have a request?"
            prompt = record_reciprocity_prompt(source_ad=ads[-2][0])
            if prompt is not None:
                take_reciprocity_prompt(prompt=prompt, ad=ads[-1][0])
    return ads


def _history_mediations(
    people: list[tuple[Participant, datetime.date]],
    ads: list[tuple[Ad, datetime.date]],
    today: datetime.date,
    rng: random.Random,
) -> None:
    organisations = list(Organisation.objects.order_by("id")[:3])
    outcomes = (
        [MediationStatus.MATCH] * 5 + [MediationStatus.NO_MATCH] * 2 + [MediationStatus.CANCELLED]
    )
    reasons = {
        MediationStatus.NO_MATCH: "De tijden pasten niet.",
        MediationStatus.CANCELLED: "De vraag was al opgelost.",
    }
    for index, (ad, placed) in enumerate(ads):
        asking = ad.participant
        others = [(p, day) for p, day in people if p.pk != asking.pk and day <= placed]
        use_organisation = organisations and index % 7 == 3
        if not others and not use_organisation:
            continue
        start = min(placed + datetime.timedelta(days=rng.randint(1, 14)), today)
        other = rng.choice(others)[0] if others else None
        giving_ad = ad if ad.kind == AdKind.OFFER else None
        requester = other if giving_ad and other is not None else asking
        provider = None if use_organisation else (asking if giving_ad else other)
        mediation = start_mediation(
            requester=requester,
            provider=provider,
            organisation=organisations[index % len(organisations)] if use_organisation else None,
            ads=[ad]
            if provider is not None and ad.participant_id in (requester.pk, provider.pk)
            else [],
            active=rng.random() < 0.6,
            started_on=start,
        )
        if (today - start).days < 21:
            continue  # recent ones are still open
        status = rng.choice(outcomes)
        set_mediation_status(
            mediation=mediation,
            status=status,
            ended_on=min(start + datetime.timedelta(days=rng.randint(3, 40)), today),
            reason=reasons.get(status, "Het klikte; ze houden contact."),
        )


def _history_outreach(
    people: list[tuple[Participant, datetime.date]],
    broker: User | None,
    first: datetime.date,
    span: int,
    today: datetime.date,
    rng: random.Random,
) -> None:
    organisations = list(Organisation.objects.order_by("id")[:3])
    for month in range(0, span, 30):  # a group visit a month
        day = first + datetime.timedelta(days=month + rng.randint(0, 20))
        if day > today:
            break
        joined = [
            p for p, registered in people if day <= registered < day + datetime.timedelta(days=30)
        ][:2]
        record_group_visit(
            visited_on=day,
            reached=rng.randint(8, 25),
            group_name=rng.choice(["Koffieochtend", "Ouderavond", "Taalcafé", "Seniorensoos"]),
            joined=joined,
            by=broker,
        )
    for index, (participant, registered) in enumerate(people[::3]):
        institution, role = INSTITUTIONS[index % len(INSTITUTIONS)]
        record_referral(
            direction="in",
            participant=participant,
            referred_on=registered,
            institution=institution,
            referrer_role=role,
            reason="Weinig contacten in de buurt.",
            category="loneliness",
            by=broker,
        )
    for index, (participant, registered) in enumerate(people[1::5]):
        record_referral(
            direction="out",
            participant=participant,
            referred_on=min(registered + datetime.timedelta(days=30), today),
            service=["debt_help", "course", "social_work"][index % 3],
            reason="Hulp bij administratie.",
            by=broker,
        )
    for index, (participant, registered) in enumerate(people[2::9]):
        if organisations:
            record_placement(
                participant=participant,
                organisation=organisations[index % len(organisations)],
                started_on=min(registered + datetime.timedelta(days=45), today),
                by=broker,
            )


def _history_credits(
    people: list[tuple[Participant, datetime.date]], today: datetime.date, rng: random.Random
) -> None:
    """Rewards for volunteers over the two years (the credits demo adds this year's)."""
    organisations = list(Organisation.objects.order_by("id")[:2])
    for index, (participant, registered) in enumerate(people[::4]):
        transfer = reward_participants(
            recipients=[participant],
            amount_each=Decimal(rng.choice(["1", "2", "2.5", "3"])),
            organisation=organisations[index % len(organisations)] if organisations else None,
            by=None,
            description="Geholpen bij een buurtactiviteit",
        )
        made = min(registered + datetime.timedelta(days=rng.randint(5, 60)), today)
        Transfer.objects.filter(pk=transfer.pk).update(made_at=_moment(made))
