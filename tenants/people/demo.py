"""Demo participants for the two demo neighbourhoods: sub-areas, about 25 people with a
realistic mix (without e-mail, with a contact person, matched only through the broker),
consents, a few notes, self-reported answers and certificates of conduct. Other apps' demos
fetch these participants in id order."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import ConsentTopic
from .services.consents import update_profile
from .services.messages import notify_participant
from .services.participants import ensure_sub_areas
from .services.records import add_note, record_conduct_certificate
from .services.registration import enrol_participant

SUB_AREAS = {
    "utrecht-zuid": ["Bokkenbuurt", "Tolsteeg", "Hoograven", "Lunetten"],
    "breda-hoge-vucht": ["Hoge Vucht-Noord", "Doornbos-Linie", "Heksenwiel", "Hoge Vucht-Centrum"],
}

# display name, full name, e-mail, phone, sub-area index, heard via, extras
PEOPLE: list[tuple[str, str, str, str, int, str, dict]] = [
    ("Ans", "Ans van Dijk", "ans.vandijk@example.nl", "06 1111 2201", 0, "postcard", {}),
    (
        "Kees",
        "Kees Bakker",
        "",
        "030 271 44 10",
        1,
        "group_visit",
        {
            "contact_person_name": "Marjan Bakker",
            "contact_person_email": "marjan.b@example.nl",
            "contact_person_phone": "06 2222 3302",
        },
    ),
    (
        "Fatima",
        "Fatima El Amrani",
        "f.elamrani@example.nl",
        "06 1111 2203",
        2,
        "word_of_mouth",
        {"preferred_language": "ar"},
    ),
    ("Henk", "Henk de Groot", "", "030 288 19 02", 3, "referral", {"through_broker_only": True}),
    ("Lotte", "Lotte Visser", "lotte.visser@example.nl", "", 0, "website", {}),
    (
        "Mehmet",
        "Mehmet Yılmaz",
        "m.yilmaz@example.nl",
        "06 1111 2206",
        2,
        "event",
        {"preferred_language": "tr"},
    ),
    (
        "Riet",
        "Riet Smit",
        "",
        "030 293 55 61",
        1,
        "poster",
        {"contact_person_name": "Buurthuis De Boog", "contact_person_phone": "030 200 00 01"},
    ),
    (
        "Sanne",
        "Sanne Mulder",
        "sanne.m@example.nl",
        "06 1111 2208",
        3,
        "website",
        {"introduction": "Studente, geef graag bijles Duits."},
    ),
    (
        "Johan",
        "Johan Meijer",
        "johan.meijer@example.nl",
        "06 1111 2209",
        0,
        "word_of_mouth",
        {"introduction": "Klusser met eigen gereedschap."},
    ),
    (
        "Wilma",
        "Wilma de Boer",
        "",
        "030 252 13 87",
        2,
        "referral",
        {
            "through_broker_only": True,
            "contact_person_name": "Dochter Inge",
            "contact_person_email": "inge.deboer@example.nl",
        },
    ),
    ("Pieter", "Pieter Bos", "pieter.bos@example.nl", "", 1, "postcard", {}),
    ("Naima", "Naima Bouzid", "naima.b@example.nl", "06 1111 2212", 2, "group_visit", {}),
    ("Gerrit", "Gerrit Vos", "", "030 281 40 02", 3, "event", {}),
    (
        "Anouk",
        "Anouk Peters",
        "anouk.peters@example.nl",
        "06 1111 2214",
        0,
        "website",
        {"introduction": "Ik wandel graag met honden."},
    ),
    ("Tineke", "Tineke Hendriks", "t.hendriks@example.nl", "06 1111 2215", 1, "poster", {}),
    (
        "Ahmed",
        "Ahmed Benali",
        "",
        "06 1111 2216",
        2,
        "word_of_mouth",
        {"contact_person_name": "Youssef Benali", "contact_person_phone": "06 3333 4416"},
    ),
    ("Marja", "Marja van Leeuwen", "marja.vl@example.nl", "06 1111 2217", 3, "postcard", {}),
    ("Bas", "Bas Dekker", "bas.dekker@example.nl", "06 1111 2218", 0, "website", {}),
    ("Corrie", "Corrie Brouwer", "", "030 294 71 18", 1, "referral", {"through_broker_only": True}),
    (
        "Yusuf",
        "Yusuf Kaya",
        "y.kaya@example.nl",
        "06 1111 2220",
        2,
        "group_visit",
        {"preferred_language": "tr"},
    ),
    ("Els", "Els de Wit", "els.dewit@example.nl", "06 1111 2221", 3, "word_of_mouth", {}),
    (
        "Joke",
        "Joke Dijkstra",
        "",
        "030 287 66 22",
        0,
        "postcard",
        {"contact_person_name": "Buurman Frans", "contact_person_phone": "06 5555 6622"},
    ),
    ("Ruud", "Ruud Jacobs", "ruud.jacobs@example.nl", "06 1111 2223", 1, "event", {}),
    (
        "Iris",
        "Iris van der Linden",
        "iris.vdl@example.nl",
        "",
        2,
        "website",
        {"introduction": "Speel piano en geef graag les."},
    ),
    ("Sjaak", "Sjaak Koster", "", "030 296 03 24", 3, "group_visit", {}),
]

NOTES = {
    1: "Belt liever 's ochtends; slechthorend, rustig praten.",
    3: "Doorverwezen door de huisarts. Eerst zelf kennismaken voor een koppeling.",
    9: "Dochter Inge regelt de afspraken; zij is bereikbaar per mail.",
    18: "Wil graag iemand om samen boodschappen te doen. Tweede gesprek gepland.",
}
VOG_SEEN = {8: 400, 13: 30, 22: 1200}  # index -> days ago the certificate was seen
PROFILES = {
    0: {
        "gender": "woman",
        "born_abroad": "no",
        "paid_work": "no",
        "household": "alone",
        "age_band": "75_plus",
    },
    2: {"gender": "woman", "born_abroad": "yes", "paid_work": "no", "household": "with_children"},
    5: {"gender": "man", "born_abroad": "yes", "paid_work": "yes", "household": "with_partner"},
    7: {"gender": "woman", "born_abroad": "no", "paid_work": "yes", "household": "other"},
    10: {"gender": "man", "born_abroad": "no", "paid_work": "no", "household": "alone"},
    14: {"gender": "woman", "household": "alone", "age_band": "65_74"},
}


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    """Sub-areas and participants for a demo neighbourhood (others get no sub-areas)."""
    areas = ensure_sub_areas(names=SUB_AREAS.get(neighbourhood.slug, []))
    broker = User.objects.filter(role=Role.BROKER, is_active=True).order_by("id").first()
    today = timezone.localdate()
    for index, (display, full, email, phone, area, heard, extra) in enumerate(PEOPLE):
        consents = [ConsentTopic.REGISTRATION]
        if index in PROFILES:
            consents.append(ConsentTopic.SELF_REPORTED)
        if index % 3 == 0:
            consents.append(ConsentTopic.SHARE_CONTACT)
        participant = enrol_participant(
            registered_by=broker,
            consents=consents,
            confirm_not_duplicate=True,
            display_name=display,
            full_name=full,
            email=email,
            phone=phone,
            sub_area=areas[area] if areas else None,
            heard_via=heard,
            **extra,
        )
        if index in PROFILES:
            update_profile(participant=participant, changed_by=broker, **PROFILES[index])
        if index in NOTES and broker is not None:
            add_note(participant=participant, author=broker, text=NOTES[index])
        if index in VOG_SEEN:
            record_conduct_certificate(
                participant=participant,
                seen_on=today - datetime.timedelta(days=VOG_SEEN[index]),
                recorded_by=broker,
            )
        if index == 3:
            notify_participant(
                participant=participant,
                subject="Reactie op uw vraag",
                body="Iemand uit Lunetten wil graag met u wandelen op dinsdagmiddag.",
                purpose="demo",
            )
