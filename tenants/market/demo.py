"""Demo ads: about thirty realistic requests and offers (and two vacancies when there are
organisations), placed by the neighbourhood's participants, some by the broker for people
without internet, published over the last weeks."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.utils import timezone

from tenants.organisations.models import Organisation
from tenants.people.models import Participant, SubArea
from tenants.people.services.participants import register_participant
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .cache import bump_list_version
from .models import Ad, AdKind, AdStatus, Category
from .services.ads import confirm_ad, place_ad
from .services.lists import add_sub_area
from .services.moderation import approve_ad

# Category by its default position: 1 odd jobs, 2 garden, 3 company, 4 language/computer,
# 5 shopping/transport, 6 children/homework, 7 pets, 8 creative, 9 other.
ADS = [
    (
        "offer",
        4,
        "Bijles Duits voor je eindexamen",
        "Ik studeer Duits aan de universiteit en help scholieren graag met grammatica, "
        "spreekvaardigheid en het oefenen van oude examens.",
        "doordeweeks na 16.00 uur",
    ),
    (
        "request",
        1,
        "Wie heeft een lange boor?",
        "Ik klus graag, maar mijn boor komt niet diep genoeg in de betonmuur voor een "
        "plankenkast. Wie leent me een klopboor of komt even helpen?",
        "een zaterdagochtend",
    ),
    (
        "request",
        3,
        "Gezelschap om de stad in te gaan",
        "Door mijn MS ga ik niet graag alleen naar de binnenstad. Wie loopt of rijdt eens mee "
        "voor een kopje koffie en een winkel? In ruil geef ik graag Nederlandse les.",
        "eens per twee weken",
    ),
    (
        "offer",
        4,
        "Nederlandse les en taaloefening",
        "Oud-lerares Nederlands. Ik oefen graag met nieuwe buurtgenoten: praten, lezen, "
        "formulieren invullen.",
        "dinsdag- en donderdagmiddag",
    ),
    (
        "offer",
        2,
        "Tuinonderhoud: snoeien, wieden, gras maaien",
        "Ik heb zelf geen tuin meer maar mis het werk. Ik kom graag helpen met snoeien, wieden "
        "en maaien. Gereedschap neem ik mee.",
        "in het voorjaar en de zomer",
    ),
    (
        "request",
        6,
        "Huiswerkhulp voor mijn zoon (groep 8)",
        "Mijn zoon van 11 heeft moeite met rekenen en begrijpend lezen. Wie wil een uurtje per "
        "week met hem oefenen?",
        "een uur per week",
    ),
    (
        "offer",
        8,
        "Pianoles voor beginners",
        "Ik speel al dertig jaar piano en geef graag beginnersles, jong of oud. Bij mij thuis, "
        "ik heb een piano.",
        "woensdagmiddag",
    ),
    (
        "offer",
        1,
        "Strijken voor wie dat niet kan of wil",
        "Ik strijk graag, het ontspant me. Breng uw wasgoed langs, dan kunt u het een dag later "
        "weer ophalen.",
        "",
    ),
    (
        "request",
        7,
        "Wie laat mijn hond uit?",
        "Na mijn heupoperatie kan ik zes weken niet ver lopen. Bobby is een rustige labrador "
        "die graag een rondje door het park maakt.",
        "elke ochtend, zes weken",
    ),
    (
        "offer",
        4,
        "Engels oefenen tijdens het zwemmen",
        "Ik zwem twee keer per week baantjes en oefen graag Engels met iemand die dat ook wil. "
        "Beginners welkom.",
        "maandag- en vrijdagochtend",
    ),
    (
        "request",
        5,
        "Vervoer naar het ziekenhuis",
        "Ik moet in maart vier keer naar het ziekenhuis voor controle en heb geen auto. Wie "
        "brengt me en haalt me weer op? Benzinegeld betaal ik natuurlijk.",
        "vier keer in maart",
    ),
    (
        "offer",
        5,
        "Boodschappen doen voor wie slecht ter been is",
        "Ik doe elke zaterdag mijn eigen boodschappen en neem die van u graag mee.",
        "zaterdagochtend",
    ),
    (
        "request",
        4,
        "Hulp met mijn nieuwe telefoon",
        "Mijn kleinkinderen gaven me een smartphone, maar ik snap er weinig van. Wie legt me "
        "rustig uit hoe ik kan bellen, appen en foto's bekijken?",
        "een paar keer",
    ),
    (
        "offer",
        4,
        "Computerhulp aan huis",
        "Ik werk in de ICT en help u graag met uw computer, printer, wifi of internetbankieren. "
        "Geduldig en zonder moeilijke woorden.",
        "in het weekend",
    ),
    (
        "request",
        2,
        "Hulp bij het opruimen van de achtertuin",
        "Mijn achtertuin is een wildernis geworden. Wie helpt een middag met snoeien en "
        "afvoeren? Koffie en taart staan klaar.",
        "een middag in april",
    ),
    (
        "offer",
        3,
        "Een kopje koffie en een praatje",
        "Ik ben met pensioen en heb tijd. Ik kom graag op bezoek bij iemand die weinig mensen "
        "ziet, voor een praatje of een spelletje.",
        "een keer per week",
    ),
    (
        "request",
        1,
        "Lamp ophangen en gordijnrails",
        "Ik ben net verhuisd en heb twee lampen en een gordijnrail die opgehangen moeten worden. "
        "Zelf durf ik niet op de ladder.",
        "",
    ),
    (
        "offer",
        1,
        "Kleine klussen in huis",
        "Een lekkende kraan, een klemmende deur, een schilderij ophangen: ik heb gereedschap en "
        "ervaring.",
        "doordeweeks overdag",
    ),
    (
        "request",
        8,
        "Wie leert mij breien?",
        "Ik wil graag een sjaal breien voor mijn kleindochter, maar weet niet hoe ik moet "
        "beginnen.",
        "een avond per week",
    ),
    (
        "offer",
        8,
        "Naailes en kleding vermaken",
        "Ik heb een naaimachine en leer u graag zomen, knopen aanzetten of een broek korter maken.",
        "",
    ),
    (
        "request",
        6,
        "Voorlezen voor mijn dochter in het Nederlands",
        "Wij spreken thuis Arabisch. Mijn dochter van 5 zou graag Nederlandse verhalen horen. "
        "Wie leest eens per week voor?",
        "eens per week, na school",
    ),
    (
        "offer",
        6,
        "Hulp bij wiskunde en natuurkunde",
        "Gepensioneerd docent wiskunde. Ik help middelbare scholieren met wiskunde en natuurkunde.",
        "maandag en woensdag",
    ),
    (
        "request",
        7,
        "Kattenoppas tijdens de vakantie",
        "Wie geeft mijn twee katten eten en water terwijl ik twee weken op familiebezoek ben?",
        "twee weken in juli",
    ),
    (
        "offer",
        7,
        "Oppas voor uw huisdier",
        "Ik ben dol op dieren en pas graag op uw kat, konijn of vogel als u weg bent.",
        "",
    ),
    (
        "request",
        9,
        "Hulp bij formulieren en brieven",
        "Ik krijg brieven van de gemeente en de belasting die ik moeilijk begrijp. Wie kijkt "
        "met me mee?",
        "af en toe",
    ),
    (
        "offer",
        9,
        "Samen koken en eten",
        "Ik kook graag en vind alleen eten niet gezellig. Wie schuift eens aan of kookt samen "
        "met mij?",
        "vrijdagavond",
    ),
    (
        "request",
        5,
        "Meerijden naar de markt",
        "Ik ga graag naar de zaterdagmarkt maar de tas wordt te zwaar. Wie rijdt me of loopt "
        "mee met een boodschappenkarretje?",
        "zaterdagochtend",
    ),
    (
        "offer",
        3,
        "Wandelmaatje gezocht en geboden",
        "Ik wandel elke ochtend een uur en zou het gezellig vinden als iemand meeloopt.",
        "elke ochtend om 9 uur",
    ),
]
VACANCIES = [
    (
        3,
        "Vrijwilliger voor de koffieochtend",
        "Wij zoeken iemand die op woensdagochtend helpt met koffie schenken en een praatje maakt "
        "met onze bewoners.",
        "woensdagochtend",
    ),
    (
        6,
        "Voorleesouder gezocht",
        "Onze school zoekt ouders en buurtgenoten die in groep 3 en 4 willen voorlezen.",
        "vrijdagochtend",
    ),
]
PEOPLE = [
    ("Sanne", "sanne@voorbeeld.test", ""),
    ("Mohamed", "mohamed@voorbeeld.test", ""),
    ("Joke", "", "0612345001"),
    ("Henk", "henk@voorbeeld.test", ""),
    ("Fatma", "fatma@voorbeeld.test", ""),
    ("Kees", "", "0612345002"),
    ("Lotte", "lotte@voorbeeld.test", ""),
    ("Ahmed", "ahmed@voorbeeld.test", ""),
]
DEFAULT_SUB_AREAS = {
    "utrecht-zuid": ["Bokkenbuurt", "Tolsteeg", "Hoograven", "Lunetten"],
    "breda-hoge-vucht": ["Hoge Vucht-Noord", "Doornbos-Linie", "Heksenwiel", "Hoge Vucht-Centrum"],
}


def _participants() -> list[Participant]:
    people = list(Participant.objects.filter(erased_at__isnull=True).order_by("id")[:12])
    if len(people) < 6:
        for name, email, phone in PEOPLE:
            people.append(register_participant(display_name=name, email=email, phone=phone))
    return people


def _sub_areas(neighbourhood: Neighbourhood) -> list[SubArea]:
    sub_areas = list(SubArea.objects.order_by("position", "name"))
    if not sub_areas:
        names = DEFAULT_SUB_AREAS.get(neighbourhood.slug, ["Noord", "Zuid", "Oost", "West"])
        sub_areas = [add_sub_area(name=name, by=None) for name in names]
    return sub_areas


def _category_picker() -> Callable[[int], Category]:
    """The category at a default position (the first one when the admin changed the list)."""
    categories = {c.position: c for c in Category.objects.all()}
    fallback = next(iter(categories.values()))
    return lambda position: categories.get(position, fallback)


def _residents_ads(
    people: list[Participant],
    sub_areas: list[SubArea],
    category_at: Callable[[int], Category],
    broker: User | None,
    rng: random.Random,
) -> list[Ad]:
    """The requests and offers, some placed by the broker for people without internet; all
    approved but the last that waits (the moderation queue has something to show)."""
    placed: list[Ad] = []
    for n, (kind, position, title, body, when) in enumerate(ADS):
        owner = people[n % len(people)]
        ad = place_ad(
            participant=owner,
            kind=kind,
            title=title,
            body=body,
            category=category_at(position),
            sub_area=owner.sub_area or rng.choice(sub_areas),
            when=when,
            placed_by_broker=broker if (not owner.email or n % 5 == 0) else None,
        )
        placed.append(confirm_ad(ad=ad) if ad.status == AdStatus.UNCONFIRMED else ad)
    waiting = [ad for ad in placed if ad.status == AdStatus.AWAITING_APPROVAL]
    for ad in waiting[:-1] if broker is not None else []:
        placed[placed.index(ad)] = approve_ad(ad=ad, by=broker)
    return placed


def _vacancies(
    people: list[Participant], category_at: Callable[[int], Category], broker: User | None
) -> list[Ad]:
    """A vacancy for each of the first two organisations, placed by the broker."""
    organisations = list(Organisation.objects.filter(is_active=True).order_by("id")[:2])
    return [
        place_ad(
            participant=organisation.members.order_by("id").first() or people[0],
            kind=AdKind.VACANCY,
            title=title,
            body=body,
            category=category_at(position),
            sub_area=organisation.sub_area,
            when=when,
            organisation=organisation,
            placed_by_broker=broker,
        )
        for organisation, (position, title, body, when) in zip(
            organisations, VACANCIES, strict=False
        )
    ]


def _spread_over_weeks(ads: list[Ad], neighbourhood: Neighbourhood, rng: random.Random) -> None:
    """Published over the last five weeks, as if placed one by one (demo timestamps only)."""
    now = timezone.now()
    lifetime = datetime.timedelta(weeks=neighbourhood.ad_lifetime_weeks)
    for ad in ads:
        if ad.status != AdStatus.PUBLISHED:
            continue
        published = now - datetime.timedelta(days=rng.randint(0, 34), hours=rng.randint(0, 12))
        Ad.objects.filter(pk=ad.pk).update(
            created_at=published,
            confirmed_at=published,
            published_at=published,
            expires_at=published + lifetime,
        )


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    rng = random.Random(neighbourhood.slug)  # noqa: S311 - demo data, not security
    sub_areas = _sub_areas(neighbourhood)
    people = _participants()
    broker = User.objects.filter(role=Role.BROKER, is_active=True).order_by("id").first()
    category_at = _category_picker()
    placed = _residents_ads(people, sub_areas, category_at, broker, rng)
    placed += _vacancies(people, category_at, broker)
    _spread_over_weeks(placed, neighbourhood, rng)
    bump_list_version(ends=True)  # the dates were rewritten after the services had bumped
