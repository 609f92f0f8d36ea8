"""The poster and the postcard: the right ads, the broker's phone on the strips, 0 and many
ads, the language, who may download them, and the API's PDF answers."""

from __future__ import annotations

import re

import pytest
from django.utils import formats, timezone, translation
from django_tenants.utils import tenant_context

from tenants.market.models import Ad
from tenants.outreach.printables import poster_pdf
from tests.support.cast import client_for
from tests.support.factories import broker_ad, many_published_ads, participant
from tests.support.pdfs import page_count, pdf_text
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = pytest.mark.django_db

PHONE = "030 765 43 21"


def _phone(place, phone=PHONE):  # type: ignore[no-untyped-def]
    Neighbourhood.objects.filter(pk=place.neighbourhood.pk).update(broker_phone=phone)
    place.neighbourhood.refresh_from_db()


def test_the_poster_lists_this_months_ads_with_strips_carrying_phone_and_number(cast) -> None:
    _phone(cast.a)
    with tenant_context(cast.a.neighbourhood):
        ans = participant("Ans")
        request = broker_ad(ans, "request", "Hulp bij boodschappen", "Wie gaat mee op vrijdag?")
        offer = broker_ad(ans, "offer", "Ik repareer fietsen", "Lekke band? Ik help.")
        broker_ad(ans, "offer", "Gesloten aanbod", "Al klaar.", status="closed")
    with tenant_context(cast.b.neighbourhood):
        broker_ad(participant("Cor"), "offer", "Aanbod uit wijk B", "Niet in A.")
    response = cast.a.client(cast.a.broker).get(
        "/broker/printables/poster.pdf", {"language": "en", "size": "A4"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Hulp bij boodschappen" in text and "Ik repareer fietsen" in text
    assert "Gesloten aanbod" not in text and "Aanbod uit wijk B" not in text
    assert f"Ad {request.pk}\n{PHONE}" in text and f"Ad {offer.pk}\n{PHONE}" in text
    assert text.count(PHONE) >= 3  # the call line and a strip per ad


def test_a_poster_without_ads_says_so_and_still_carries_the_phone(cast) -> None:
    _phone(cast.a)
    with tenant_context(cast.a.neighbourhood):
        data = poster_pdf(neighbourhood=cast.a.neighbourhood, language="en", size="A3")
    text = pdf_text(data)
    assert "No new requests or offers this month" in text and PHONE in text
    assert page_count(data) == 1
    with tenant_context(cast.a.neighbourhood):
        dutch = pdf_text(poster_pdf(neighbourhood=cast.a.neighbourhood, language="nl", size="A4"))
    with translation.override("nl"):
        month = formats.date_format(timezone.localdate(), "YEAR_MONTH_FORMAT")
    assert f"Vraag en aanbod ({month})" in dutch  # "december 2026", as people say it


def test_many_ads_continue_on_a_few_pages_then_point_to_the_site(cast) -> None:
    _phone(cast.a)
    with tenant_context(cast.a.neighbourhood):
        many_published_ads(40)
        count = Ad.objects.count()
        data = poster_pdf(neighbourhood=cast.a.neighbourhood, language="en", size="A4")
    text = pdf_text(data)
    assert page_count(data) == 4 and "continued" in text
    shown = len(re.findall(r"^Ad \d+$", text, flags=re.MULTILINE))
    assert 4 <= shown <= 24
    assert f"{count - shown} more requests and offers at http" in text


def test_the_postcard_has_two_sides_with_the_method_and_the_contact(cast) -> None:
    _phone(cast.a)
    response = cast.a.client(cast.a.broker).get(
        "/broker/printables/postcard.pdf", {"language": "en"}
    )
    assert response.status_code == 200
    assert page_count(response.content) == 2
    text = pdf_text(response.content)
    assert "The broker finds a neighbour" in text and PHONE in text
    dutch = pdf_text(
        cast.a.client(cast.a.broker)
        .get("/broker/printables/postcard.pdf", {"language": "nl"})
        .content
    )
    assert "Telefoon" in dutch or "makelaar" in dutch


def test_only_staff_download_and_odd_input_is_refused(cast) -> None:
    for path in ("/broker/printables/", "/broker/printables/poster.pdf?language=nl"):
        assert cast.a.client(cast.a.resident).get(path).status_code == 403
        assert cast.a.client(cast.a.broker).get(path).status_code == 200
    odd = cast.a.client(cast.a.broker).get("/broker/printables/poster.pdf", {"language": "fr"})
    assert odd.status_code == 400
    api = client_for(cast.a.host)
    broker = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    poster = api.get(
        "/api/v1/printables/poster/?size=A3&language=en", HTTP_ACCEPT="application/pdf", **broker
    )
    assert poster.status_code == 200 and poster.content.startswith(b"%PDF")
    assert api.get("/api/v1/printables/postcard/", **broker).status_code == 200
    assert api.get("/api/v1/printables/poster/?size=A5", **broker).status_code == 400
    resident = api.get(
        "/api/v1/printables/poster/", HTTP_AUTHORIZATION=f"Token {cast.a.resident.token}"
    )
    assert resident.status_code == 403
