"""Demo content: local organisations on the social map, with their contact persons."""

from __future__ import annotations

from tenants.people.models import SubArea
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import Organisation
from .services import create_organisation

# (name, kind, sub-area, description, contact name, contact e-mail, contact phone)
ORGANISATIONS = {
    "utrecht-zuid": [
        (
            "Basisschool De Klimop",
            Organisation.Kind.SCHOOL,
            "Hoograven",
            "Zoekt voorleesouders en hulp bij de schooltuin.",
            "Marieke Koster",
            "m.koster@klimop.example",
            "030 271 11 00",
        ),
        (
            "Zorgcentrum Tolsteeg",
            Organisation.Kind.CARE,
            "Tolsteeg",
            "Woonzorgcentrum; vrijwilligers voor wandelen, koffie en spelletjesmiddagen.",
            "Henk van Dijk",
            "vrijwilligers@zorgcentrumtolsteeg.example",
            "030 272 22 00",
        ),
        (
            "Scouting Lunetten",
            Organisation.Kind.CLUB,
            "Lunetten",
            "Scoutinggroep met welpen en verkenners; zoekt leiding en klussers.",
            "Joke Verhoef",
            "bestuur@scoutinglunetten.example",
            "",
        ),
        (
            "Moskee Hoograven",
            Organisation.Kind.FAITH,
            "Hoograven",
            "Moskee met huiswerkbegeleiding en een vrouwengroep.",
            "Yusuf Demir",
            "info@moskeehoograven.example",
            "030 273 33 00",
        ),
        (
            "Buurthuis De Bokkenbuurt",
            Organisation.Kind.COMMUNITY,
            "Bokkenbuurt",
            "Buurthuis met koffieochtend, taalcafé en repaircafé.",
            "Fenna Post",
            "buurthuis@bokkenbuurt.example",
            "030 274 44 00",
        ),
        (
            "Supermarkt Lunetten",
            Organisation.Kind.SHOP,
            "Lunetten",
            "Buurtsupermarkt; doet mee met de kerstactie.",
            "Rob Smits",
            "",
            "030 275 55 00",
        ),
    ],
    "breda-hoge-vucht": [
        (
            "Basisschool De Vlieger",
            Organisation.Kind.SCHOOL,
            "Heksenwiel",
            "Zoekt hulp bij lezen en bij het schoolontbijt.",
            "Ingrid Maas",
            "i.maas@devlieger.example",
            "076 561 11 00",
        ),
        (
            "Zorgcentrum Doornbos",
            Organisation.Kind.CARE,
            "Doornbos-Linie",
            "Verpleeghuis; vrijwilligers voor uitjes en de bibliotheekkar.",
            "Anton de Wit",
            "vrijwilligers@zorgdoornbos.example",
            "076 562 22 00",
        ),
        (
            "Scouting Hoge Vucht",
            Organisation.Kind.CLUB,
            "Hoge Vucht-Noord",
            "Scouting voor kinderen van 7 tot 17 jaar.",
            "Sanne Willems",
            "info@scoutinghogevucht.example",
            "",
        ),
        (
            "Sint-Jozefkerk",
            Organisation.Kind.FAITH,
            "Hoge Vucht-Centrum",
            "Parochie met een kledingbank en een open eettafel.",
            "Kees Hendriks",
            "secretariaat@sintjozef.example",
            "076 563 33 00",
        ),
        (
            "Wijkcentrum Hoge Vucht",
            Organisation.Kind.COMMUNITY,
            "Hoge Vucht-Centrum",
            "Wijkcentrum met inloop, naaicafé en computerles.",
            "Naima El Amrani",
            "inloop@wijkcentrumhv.example",
            "076 564 44 00",
        ),
        (
            "Buurtsuper Heksenwiel",
            Organisation.Kind.SHOP,
            "Heksenwiel",
            "Buurtsupermarkt met een prikbord voor de wijk.",
            "Mehmet Kaya",
            "",
            "076 565 55 00",
        ),
    ],
}


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    organisations = ORGANISATIONS.get(neighbourhood.slug, ORGANISATIONS["utrecht-zuid"])
    sub_areas = {area.name: area for area in SubArea.objects.all()}
    for name, kind, area, description, contact, email, phone in organisations:
        if Organisation.objects.filter(name=name).exists():
            continue
        create_organisation(
            by=None,
            name=name,
            kind=kind,
            sub_area=sub_areas.get(area),
            description=description,
            contact_name=contact,
            contact_email=email,
            contact_phone=phone,
        )
