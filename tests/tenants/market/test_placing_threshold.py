"""The lowest threshold for placing an ad: three things to give and the kind, a title and a
category filled in from the text, a word before contact details go online, and (where the
broker checks every ad first) saying so and telling the resident the outcome."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django_tenants.utils import tenant_context

from tenants.market.contact_details import contact_details_in
from tenants.market.models import Ad, AdStatus, Category
from tenants.market.services.ads import confirm_ad, place_ad
from tenants.market.services.moderation import approve_ad, reject_ad
from tenants.market.suggestions import TITLE_LENGTH, suggested_category, title_from
from tenants.outbox.models import OutboxMessage
from tenants.people.models import HeldMessage, ParticipantLink, SubArea
from tenants.people.services.links import issue_link
from tests.support.factories import participant

pytestmark = pytest.mark.django_db

SHORT_FORM = {
    "kind": "request",
    "body": "Wie laat mijn hond uit op dinsdag? Ik ben slecht ter been.",
    "display_name": "Wim",
    "email": "wim@example.org",
    "phone": "",
    "website": "",
}


def _place_form(html: str) -> str:
    return re.search(r'<form [^>]*class="place-form">(.*?)</form>', html, re.S).group(1)


def _required_names(html: str) -> set[str]:
    tags = re.findall(r"<(?:input|textarea|select)\b[^>]*>", html)
    return {re.search(r'name="([^"]+)"', tag).group(1) for tag in tags if " required" in tag}


def test_the_public_form_asks_three_things_and_the_kind(cast) -> None:
    html = _place_form(cast.a.client().get("/ads/new/").content.decode())
    # What you ask or offer, your name, and (below) an e-mail address or else a phone number.
    assert _required_names(html) == {"kind", "body", "display_name"}
    more = re.search(r"<details class=\"more-options\">(.*?)</details>", html, re.S).group(1)
    for optional in ("title", "category", "sub_area", "when", "photo"):
        assert f'name="{optional}"' in more, optional
    outside = html.replace(more, "")
    visible = set(re.findall(r'<(?:input|textarea|select)\b[^>]*name="(\w+)"', outside))
    assert visible - {"csrfmiddlewaretoken", "website"} == {
        "kind", "body", "display_name", "email", "phone"
    }  # fmt: skip
    assert html.index('name="kind"') < html.index('name="body"')  # the kind comes first


def test_the_kind_is_preselected_from_the_link_the_resident_came_from(cast) -> None:
    html = cast.a.client().get("/ads/new/?kind=offer").content.decode()
    assert re.search(r'<input type="radio" name="kind" value="offer"[^>]*checked', html)
    assert '<label class="choice-card" for="id_kind_1">' in html  # the option is one big label


def test_a_short_ad_gets_its_title_and_category_from_its_text(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        response = cast.a.client().post("/ads/new/", SHORT_FORM)
        assert response.status_code == 302, response.content.decode()
        ad = Ad.objects.get()
        assert ad.title == "Wie laat mijn hond uit op dinsdag?"
        assert ad.category.slug == "huisdieren"
        assert ad.status == AdStatus.UNCONFIRMED


def test_a_chosen_title_and_category_win_over_the_suggestions(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        chosen = Category.objects.get(slug="gezelschap-en-bezoek")
        form = {**SHORT_FORM, "title": "Wandelmaatje", "category": chosen.pk}
        assert cast.a.client().post("/ads/new/", form).status_code == 302
        ad = Ad.objects.get()
        assert (ad.title, ad.category) == ("Wandelmaatje", chosen)


def test_the_title_is_the_texts_start_cut_at_a_word() -> None:
    assert title_from("  Hulp bij de tuin.\nIk heb een grote tuin.") == "Hulp bij de tuin"
    long = title_from("Ik zoek iemand die mij kan helpen met het invullen van formulieren")
    assert long == "Ik zoek iemand die mij kan helpen met het invullen van…"
    assert len(long) <= TITLE_LENGTH


def test_without_telling_words_the_category_is_the_earlier_one_else_other(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        assert suggested_category(text="Achtertuin wieden").slug == "tuin"
        assert suggested_category(text="My dog needs a walk").slug == "huisdieren"
        assert suggested_category(text="Ik zoek een maatje").slug == "overig"
        wim = participant("Wim", email="wim@example.org")
        place_ad(
            participant=wim,
            kind="request",
            body="Wie helpt met mijn laptop?",
            category=Category.objects.get(slug="taal-en-computerhulp"),
        )
        suggestion = suggested_category(text="Ik zoek een maatje", participant=wim)
        assert suggestion.slug == "taal-en-computerhulp"


def test_a_signed_in_resident_finds_their_earlier_sub_area_chosen(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        area = SubArea.objects.create(name="Lombok", position=1)
        wim = participant("Wim", email="wim@example.org")
        ad = place_ad(participant=wim, kind="request", body="Wie helpt mij?", sub_area=area)
        link = issue_link(participant=wim, purpose=ParticipantLink.Purpose.SIGN_IN)
        client.get(f"/ads/sign-in/{link}/")
        client.post("/ads/sign-in/confirm/")
        html = _place_form(client.get("/ads/new/").content.decode())
        assert re.search(rf'<option value="{area.pk}" selected>Lombok</option>', html)
        assert ad.sub_area == area and wim.sub_area is None  # from the ad, not their profile


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Bel me op 06 1234 5678", ["phone"]),
        ("Mijn nummer: 06-12345678.", ["phone"]),
        ("Overdag op 020 123 4567", ["phone"]),
        ("Of +31 6 12345678", ["phone"]),
        ("Mail naar ria.de.vries@example.nl", ["email"]),
        ("Ik woon op 3511 AB, kom maar langs", ["postcode"]),
        ("postcode 3511ab", ["postcode"]),
        ("Ik woon op de Dorpsstraat 12", ["address"]),
        ("Kom naar Kerkweg 3a", ["address"]),
        ("Lindelaan 14, 3511 AB Utrecht, 030-1234567", ["phone", "postcode", "address"]),
    ],
)
def test_contact_details_in_dutch_texts_are_noticed(text: str, found: list[str]) -> None:
    assert contact_details_in(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Ik zoek iemand voor 2 uur per week",
        "Oppas gezocht voor 3 kinderen, 1 keer per maand",
        "Op 12-03-2026 om 14:00 uur, voor 25 euro aan boodschappen",
        "Ik fiets 2000km per jaar en heb 10 jaar ervaring",
        "In 2024 heb ik 150 planten gekocht",
        "Bij de weg 3 keer links",
    ],
)
def test_ordinary_text_with_numbers_raises_no_alarm(text: str) -> None:
    assert contact_details_in(text) == []


def test_contact_details_are_asked_about_and_can_be_published_anyway(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        form = {**SHORT_FORM, "body": "Wie laat mijn hond uit? Bel 06 1234 5678."}
        asked = client.post("/ads/new/", form)
        assert asked.status_code == 400 and not Ad.objects.exists()
        html = asked.content.decode()
        assert 'id="id_publish_anyway_errors"' in html and "een telefoonnummer" in html
        assert 'href="#id_publish_anyway"' in html  # the error summary leads to the choice
        # and says what is the matter, not only the choice's label ("Publish it as it is")
        summary = html.split('id="error-summary"')[1].split("</div>")[0]
        assert "een telefoonnummer" in summary
        assert "Bel 06 1234 5678.</textarea>" in html  # what was typed is kept
        assert 'type="checkbox" name="publish_anyway"' in html
        # Going on without choosing asks again; choosing "publish anyway" places it as typed.
        assert client.post("/ads/new/", form).status_code == 400
        placed = client.post("/ads/new/", {**form, "publish_anyway": "on"})
        assert placed.status_code == 302
        assert Ad.objects.get().body == "Wie laat mijn hond uit? Bel 06 1234 5678."
        # The warning never shows for a text without contact details.
        html = client.get("/ads/new/").content.decode()
        assert 'name="publish_anyway"' not in html


@pytest.fixture
def moderated(cast) -> Iterator[None]:
    """Neighbourhood A as Breda runs it: the broker checks every ad before it goes online."""
    neighbourhood = cast.a.neighbourhood
    neighbourhood.moderation = "before"
    neighbourhood.save(update_fields=["moderation"])
    yield
    neighbourhood.moderation = "after"
    neighbourhood.save(update_fields=["moderation"])


def test_with_moderation_first_the_page_says_the_broker_checks_it(cast, moderated) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        response = client.post("/ads/new/", SHORT_FORM)
        assert response["Location"] == "/ads/placed/?by=mail"
        page = client.get(response["Location"]).content.decode()
        assert "bekijkt de makelaar hem voordat hij op de site komt" in page
        assert "Uw advertentie komt op de site zodra u op die link klikt" not in page


def test_the_resident_hears_when_the_broker_approves_or_refuses(cast, moderated) -> None:
    with tenant_context(cast.a.neighbourhood):
        wim = participant("Wim", email="wim@example.org")
        wim.preferred_language = "nl"
        wim.save(update_fields=["preferred_language"])
        ad = confirm_ad(ad=place_ad(participant=wim, kind="request", body="Wie helpt mij?"))
        assert ad.status == AdStatus.AWAITING_APPROVAL
        approve_ad(ad=ad, by=cast.a.broker.user)
        online = OutboxMessage.objects.get(purpose="market.ad_online")
        assert online.to == "wim@example.org"
        assert online.subject == "Uw advertentie staat online op Wijk A"
        assert "Wie helpt mij?" in online.body

        refused = confirm_ad(ad=place_ad(participant=wim, kind="offer", body="Ik verkoop fietsen"))
        reject_ad(ad=refused, by=cast.a.broker.user, reason="Geen verkoop via de buurt")
        mail = OutboxMessage.objects.get(purpose="market.ad_rejected")
        assert "Geen verkoop via de buurt" in mail.body


def test_an_offline_resident_gets_the_news_held_for_the_broker(cast, moderated) -> None:
    with tenant_context(cast.a.neighbourhood):
        offline = participant("Jan", phone="0612345678")
        ad = place_ad(participant=offline, kind="request", body="Wie doet mijn boodschappen?")
        approve_ad(ad=ad, by=cast.a.broker.user)
        held = HeldMessage.objects.get(participant=offline)
        assert held.purpose == "market.ad_online" and "boodschappen" in held.body
        assert not OutboxMessage.objects.filter(purpose="market.ad_online").exists()
