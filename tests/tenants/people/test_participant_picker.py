"""The one way a broker's form names a participant: their number, or a short search. No form
lists all participants, so pages stay small and their queries constant as people are added."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape
from django_tenants.utils import tenant_context

from tenants.mediations.models import Mediation, Placement
from tenants.organisations.services import create_organisation
from tenants.people.models import Participant
from tenants.people.services.participants import register_participant
from tenants.people.services.privacy import ERASE_CONFIRMATION, erase_participant
from tenants.referrals.models import GroupVisit, Referral

pytestmark = pytest.mark.django_db

FORMS = [
    "/broker/mediations/new/",
    "/broker/mediations/placements/",
    "/broker/mediations/",
    "/broker/referrals/new/in/",
    "/broker/referrals/new/out/",
    "/broker/group-visits/new/",
]


def _people(place, *names: str) -> list[Participant]:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return [
            register_participant(display_name=name, registered_by=place.broker.user)
            for name in names
        ]


def _choices(html: str) -> int:
    return len(re.findall(r"<option\b", html)) + len(re.findall(r'type="(?:radio|checkbox)"', html))


def _says(response, text: str, **params: object) -> bool:  # type: ignore[no-untyped-def]
    """Whether the page shows `text` in the language it was served in."""
    with translation.override(response["Content-Language"]):
        message = translation.gettext(text) % params if params else translation.gettext(text)
    return escape(message) in response.content.decode()


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_forms_never_list_all_participants_and_keep_their_queries(cast) -> None:
    client = cast.a.client(cast.a.broker)
    _people(cast.a, *[f"Buur {n}" for n in range(20)])
    for url in FORMS:
        client.get(url)  # warm caches (host lookup, templates)
    few = {url: _queries(client, url) for url in FORMS}
    with tenant_context(cast.a.neighbourhood):
        # Many people at once; the service path is covered everywhere else.
        Participant.objects.bulk_create(
            Participant(display_name=f"Bewoner {n}") for n in range(300)
        )
    for url in FORMS:
        html = client.get(url).content.decode()
        assert _choices(html) <= 20, url
        assert "Bewoner 1" not in html, url
        assert _queries(client, url) == few[url], url


def test_find_lists_a_few_matches_and_keeps_the_other_fields(cast) -> None:
    ann, _bert = _people(cast.a, "Annemiek Zwaan", "Bert Koster")
    client = cast.a.client(cast.a.broker)
    response = client.post(
        "/broker/mediations/new/",
        {
            "requester": "",
            "requester_find": "zwaan",
            "lookup": "requester",
            "started_on": "2026-01-02",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Mediation.objects.exists()
    assert f'name="requester_pick" id="id_requester_pick_0" value="{ann.pk}"' in html
    assert "Bert Koster" not in html
    assert 'value="2026-01-02"' in html and 'value="zwaan"' in html
    assert "errorlist" not in html  # nothing is "required" on a search
    assert "<legend>" in html and 'for="id_requester_find"' in html
    nobody = client.post("/broker/mediations/new/", {"requester_find": "xyzzy", "lookup": "1"})
    assert _says(nobody, "Nobody found for “%(query)s”.", query="xyzzy")
    _people(cast.a, *[f"Zwaan {n}" for n in range(15)])
    many = client.post("/broker/mediations/new/", {"requester_find": "zwaan", "lookup": "1"})
    assert many.content.decode().count('name="requester_pick"') == 10
    assert _says(many, "Only the first matches are shown: make the search more precise.")


def test_a_match_chosen_from_the_search_is_recorded(cast) -> None:
    ann, bert = _people(cast.a, "Annemiek Zwaan", "Bert Koster")
    client = cast.a.client(cast.a.broker)
    response = client.post(
        "/broker/mediations/new/",
        {
            "requester": "",
            "requester_shown": "",
            "requester_pick": ann.pk,
            "provider": bert.pk,
            "started_on": str(timezone.localdate()),
        },
    )
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        mediation = Mediation.objects.get()
    assert (mediation.requester_id, mediation.provider_id) == (ann.pk, bert.pk)


def test_a_number_typed_over_an_earlier_pick_wins(cast) -> None:
    ann, bert, carla = _people(cast.a, "Ann", "Bert", "Carla")
    client = cast.a.client(cast.a.broker)
    response = client.post(
        "/broker/mediations/new/",
        {
            "requester": carla.pk,
            "requester_shown": ann.pk,
            "requester_pick": ann.pk,
            "provider": bert.pk,
            "started_on": str(timezone.localdate()),
        },
    )
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert Mediation.objects.get().requester_id == carla.pk


def test_check_shows_the_name_and_refuses_unknown_erased_and_other_neighbourhoods(cast) -> None:
    ann, gone = _people(cast.a, "Annemiek", "Weg")
    with tenant_context(cast.a.neighbourhood):
        erase_participant(participant=gone, erased_by=None, confirmation=ERASE_CONFIRMATION)
        ids_a = set(Participant.objects.values_list("pk", flat=True))
    elsewhere = _people(cast.b, *[f"Ander {n}" for n in range(len(ids_a) + 1)])
    foreign = next(p.pk for p in elsewhere if p.pk not in ids_a)
    client = cast.a.client(cast.a.broker)
    checked = client.post("/broker/mediations/new/", {"requester": ann.pk, "lookup": "requester"})
    assert checked.status_code == 200 and "<strong>Annemiek</strong>" in checked.content.decode()
    for number in (999999, gone.pk, foreign):
        response = client.post(
            "/broker/mediations/new/", {"requester": number, "lookup": "requester"}
        )
        html = response.content.decode()
        assert _says(response, "No participant with number %(number)s.", number=number)
        assert 'id="id_requester_errors"' in html and 'aria-invalid="true"' in html
        assert (
            "id_requester_errors"
            in re.search(r'<input type="text" name="requester"[^>]*>', html)[0]
        )
        saved = client.post(
            "/broker/mediations/new/",
            {"requester": number, "started_on": str(timezone.localdate())},
        )
        assert saved.status_code == 400
        assert _says(saved, "No participant with number %(number)s.", number=number)
    words = client.post("/broker/mediations/new/", {"requester": "Ann", "lookup": "1"})
    assert _says(words, "Enter a participant's number, such as 42.")
    assert not Mediation.objects.exists()


def test_prefilled_links_show_who_is_chosen(cast) -> None:
    ann, bert = _people(cast.a, "Annemiek", "Bertus")
    client = cast.a.client(cast.a.broker)
    html = client.get(
        f"/broker/mediations/new/?requester={ann.pk}&provider={bert.pk}"
    ).content.decode()
    assert f'name="requester" id="id_requester" value="{ann.pk}"' in html
    assert "<strong>Annemiek</strong>" in html and "<strong>Bertus</strong>" in html
    referral = client.get(f"/broker/referrals/new/in/?participant={ann.pk}").content.decode()
    assert f'value="{ann.pk}"' in referral and "<strong>Annemiek</strong>" in referral
    listing = client.get(f"/broker/mediations/?participant={ann.pk}").content.decode()
    assert "<strong>Annemiek</strong>" in listing


def test_the_participant_number_is_shown_on_the_list_and_page(cast) -> None:
    (ann,) = _people(cast.a, "Annemiek")
    client = cast.a.client(cast.a.broker)
    assert f"<td>{ann.pk}</td>" in client.get("/broker/participants/").content.decode()
    page = client.get(f"/broker/participants/{ann.pk}/").content.decode()
    assert f"<strong>{ann.pk}</strong>" in page


def test_placements_and_referrals_take_a_number(cast) -> None:
    (ann,) = _people(cast.a, "Annemiek")
    with tenant_context(cast.a.neighbourhood):
        school = create_organisation(by=None, name="Basisschool De Boomgaard")
    client = cast.a.client(cast.a.broker)
    today = str(timezone.localdate())
    placed = client.post(
        "/broker/mediations/placements/",
        {"participant": f" {ann.pk} ", "organisation": school.pk, "started_on": today},
    )
    assert placed.status_code == 302
    referral = client.post(
        "/broker/referrals/new/out/",
        {
            "participant": f"#{ann.pk}",
            "referred_on": today,
            "service": "debt_help",
            "reason": "Schulden",
            "category": "money",
        },
    )
    with tenant_context(cast.a.neighbourhood):
        assert Placement.objects.get().participant_id == ann.pk
        assert referral.status_code == 302
        assert Referral.objects.get().participant_id == ann.pk


def test_group_visit_takes_several_numbers_and_adds_found_people(cast) -> None:
    ann, bert, carla = _people(cast.a, "Annemiek", "Bertus", "Carla Zwaan")
    client = cast.a.client(cast.a.broker)
    today = str(timezone.localdate())
    base = {"visited_on": today, "group_name": "Taalcafé", "reached": 10}
    checked = client.post(
        "/broker/group-visits/new/",
        {**base, "joined": f"{ann.pk}, {bert.pk}", "joined_find": "zwaan", "lookup": "joined"},
    ).content.decode()
    assert "<strong>Annemiek</strong>" in checked and "<strong>Bertus</strong>" in checked
    assert f'type="checkbox" name="joined_pick" id="id_joined_pick_0" value="{carla.pk}"' in checked
    unknown = client.post("/broker/group-visits/new/", {**base, "joined": f"{ann.pk} 999998"})
    assert unknown.status_code == 400
    assert _says(unknown, "No participant with number %(number)s.", number="999998")
    saved = client.post(
        "/broker/group-visits/new/",
        {**base, "joined": f"{ann.pk}, {bert.pk}", "joined_pick": [carla.pk]},
    )
    assert saved.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        visit = GroupVisit.objects.get()
        assert set(visit.joined.values_list("pk", flat=True)) == {ann.pk, bert.pk, carla.pk}
    edit = client.get(f"/broker/group-visits/{visit.pk}/").content.decode()
    assert "<strong>Carla Zwaan</strong>" in edit
