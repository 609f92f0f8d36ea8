"""The public marketplace pages: list and search, detail, placing and confirming an ad,
reciprocity, own ads, personal pages."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context
from PIL import Image

from tenants.market.models import Ad, AdStatus, Category, ReciprocityPrompt
from tenants.market.selectors import reciprocity_figures
from tenants.market.services.lists import add_sub_area
from tenants.outbox.models import OutboxMessage
from tenants.people.models import Participant
from tests.support.factories import many_published_ads, published_ad

pytestmark = pytest.mark.django_db


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "offer",
        "title": "Ik lees voor",
        "body": "Voorlezen aan kinderen of ouderen, op woensdagmiddag.",
        "category": Category.objects.get(slug="overig").pk,
        "display_name": "Karin",
        "email": "karin@example.org",
        "phone": "",
        "website": "",
    }
    data.update(changes)
    return data


def _link(body: str, path: str) -> str:
    found = re.search(rf"https?://[^/\s]+({path}[^\s]+/)", body)
    assert found, body
    return found.group(1)


def _without_csrf(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _confirm(client, cast_place) -> Ad:  # type: ignore[no-untyped-def]
    message = OutboxMessage.objects.filter(purpose__startswith="market.").order_by("-id").first()
    link = _link(message.body, "/ads/confirm/")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/ads/confirm/"
    assert client.get("/ads/confirm/").status_code == 200
    response = client.post("/ads/confirm/")
    assert response.status_code == 302, response.content
    return Ad.objects.get(pk=int(response["Location"].split("/")[2]))


def test_a_visitor_places_an_offer_confirms_it_and_is_asked_for_a_request(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        response = client.post("/ads/new/", _form())
        assert response.status_code == 302 and response["Location"] == "/ads/placed/?by=mail"
        ad = Ad.objects.get()
        assert ad.status == AdStatus.UNCONFIRMED
        assert client.get(f"/ads/{ad.pk}/").status_code == 404  # nothing public yet
        assert client.get("/ads/").content.decode().count("Ik lees voor") == 0
        ad = _confirm(client, cast.a)
        assert ad.status == AdStatus.PUBLISHED
        page = client.get(f"/ads/{ad.pk}/confirmed/")
        assert page.status_code == 200
        prompt = ReciprocityPrompt.objects.get(source_ad=ad)
        assert f"/ads/new/?after={prompt.pk}" in page.content.decode()
        # The second ad: signed in by the link, so no contact details, kind switched.
        form = client.get(f"/ads/new/?after={prompt.pk}")
        html = form.content.decode()
        assert 'name="email"' not in html
        assert re.search(r'value="request"[^>]*checked', html)
        response = client.post(
            "/ads/new/",
            {
                "kind": "request",
                "title": "Wie helpt met mijn computer?",
                "body": "Mijn laptop is traag.",
                "category": Category.objects.get(slug="overig").pk,
                "after": prompt.pk,
            },
        )
        assert response.status_code == 302
        second = Ad.objects.exclude(pk=ad.pk).get()
        assert second.status == AdStatus.PUBLISHED and second.participant_id == ad.participant_id
        prompt.refresh_from_db()
        assert prompt.taken_ad == second and prompt.taken_at is not None
        assert reciprocity_figures() == type(reciprocity_figures())(shown=1, taken=1)


def test_a_reused_or_unknown_link_says_so_and_offers_a_new_one(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        client.post("/ads/new/", _form())
        link = _link(OutboxMessage.objects.get(purpose="market.confirm_ad").body, "/ads/confirm/")
        client.get(link)
        client.post("/ads/confirm/")
        other = cast.a.client()
        other.get(link)
        response = other.post("/ads/confirm/")
        assert response.status_code == 410
        assert 'action="/ads/sign-in/"' in response.content.decode()
        other.get("/ads/confirm/nonsense/")
        assert other.post("/ads/confirm/").status_code == 404


def test_asking_for_a_new_link_answers_the_same_for_known_and_unknown_addresses(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        published_ad(email="bekend@example.org")
        known = client.post("/ads/sign-in/", {"email": "bekend@example.org"})
        unknown = client.post("/ads/sign-in/", {"email": "onbekend@example.org"})
        assert known.status_code == unknown.status_code == 200
        assert _without_csrf(known) == _without_csrf(unknown)
        mails = list(OutboxMessage.objects.filter(purpose__startswith="market."))
        assert [m.to for m in mails] == ["bekend@example.org"]
        link = _link(mails[0].body, "/ads/sign-in/")
        fresh = cast.a.client()
        assert fresh.get("/ads/mine/").status_code == 302
        fresh.get(link)
        assert fresh.post("/ads/sign-in/confirm/").status_code == 302
        assert "Ik help met de tuin" in fresh.get("/ads/mine/").content.decode()


def test_an_unconfirmed_ad_gets_a_new_confirmation_link(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        client.post("/ads/new/", _form())
        client.post("/ads/sign-in/", {"email": "karin@example.org"})
        assert OutboxMessage.objects.filter(to="karin@example.org").count() == 2
        ad = _confirm(cast.a.client(), cast.a)
        assert ad.status == AdStatus.PUBLISHED


def test_phone_only_waits_for_the_broker(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        response = cast.a.client().post("/ads/new/", _form(email="", phone="06 1234 5678"))
        assert response["Location"] == "/ads/placed/?by=phone"
        assert Ad.objects.get().status == AdStatus.AWAITING_APPROVAL
        assert not OutboxMessage.objects.filter(purpose__startswith="market.").exists()


def test_the_honeypot_pretends_success_and_stores_nothing(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        response = cast.a.client().post("/ads/new/", _form(website="http://spam.example"))
        assert response.status_code == 302
        assert not Ad.objects.exists() and not Participant.objects.exists()
        html = cast.a.client().get("/ads/new/").content.decode()
        honeypot = re.search(
            r'<div class="visually-hidden" aria-hidden="true">.*?</div>', html, re.S
        )
        assert honeypot and 'tabindex="-1"' in honeypot.group(0)
        assert 'autocomplete="off"' in honeypot.group(0)


def test_bad_input_gets_clear_messages_and_html_is_shown_escaped(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        response = client.post("/ads/new/", _form(title="x" * 101, body="", email="", phone=""))
        assert response.status_code == 400
        html = response.content.decode()
        assert "101" in html and 'id="id_title_errors"' in html and 'id="id_body_errors"' in html
        assert 'id="id_email_errors"' in html
        assert not Ad.objects.exists()
        ad = published_ad(title="<script>alert(1)</script>", body="<b>vet</b> & meer")
        assert ad.title == "<script>alert(1)</script>"  # stored as text
        for path in (f"/ads/{ad.pk}/", "/ads/", "/", f"/people/{ad.participant_id}/"):
            page = client.get(path).content.decode()
            assert "<script>alert(1)</script>" not in page, path
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path


def test_rate_limits_per_address_give_a_clear_429(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        for _ in range(3):
            assert client.post("/ads/new/", _form()).status_code == 302
        response = client.post("/ads/new/", _form())
        assert response.status_code == 429
        assert Ad.objects.count() == 3
        # Another address from the same IP still gets through (the IP allows 5 an hour, the
        # refused attempt counted too)...
        assert client.post("/ads/new/", _form(email="ander@example.org")).status_code == 302
        # ...until the IP limit is used up.
        assert client.post("/ads/new/", _form(email="derde@example.org")).status_code == 429
        assert Ad.objects.count() == 4


def test_the_address_limit_ignores_case_and_counts_phone_numbers_too(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        for email in ("Kim@Example.org", " kim@example.org", "KIM@EXAMPLE.ORG"):
            assert cast.a.client().post("/ads/new/", _form(email=email)).status_code == 302
        refused = cast.a.client().post("/ads/new/", _form(email="kim@example.ORG"))
        assert refused.status_code == 429
    with tenant_context(cast.b.neighbourhood):  # another neighbourhood counts on its own
        for phone in ("06 1234 5678", "0612345678", "06-12345678"):
            answer = cast.b.client().post("/ads/new/", _form(email="", phone=phone))
            assert answer.status_code == 302
        answer = cast.b.client().post("/ads/new/", _form(email="", phone="06 12 34 56 78"))
        assert answer.status_code == 429


def _jpeg_with_exif(size: tuple[int, int] = (3000, 2000)) -> bytes:
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_downscaled_stripped_and_stored_per_neighbourhood(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SERVE_MEDIA = True
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        photo = SimpleUploadedFile("foto.jpg", _jpeg_with_exif(), content_type="image/jpeg")
        assert client.post("/ads/new/", _form(photo=photo)).status_code == 302
        ad = Ad.objects.get()
        schema = cast.a.neighbourhood.schema_name
        assert ad.photo.path.startswith(str(tmp_path / schema))
        with Image.open(ad.photo.path) as stored:
            assert max(stored.size) == 1600 and stored.format == "JPEG"
            assert not stored.getexif()
        url = ad.photo.url
        assert url.startswith(f"/media/{schema}/")
        assert client.get(url).status_code == 200
    # Neighbourhood B's host does not serve A's files.
    assert cast.b.client().get(url).status_code == 404


def test_a_non_image_or_a_too_large_file_is_refused_with_a_reason(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        fake = SimpleUploadedFile("foto.jpg", b"not an image at all", content_type="image/jpeg")
        response = client.post("/ads/new/", _form(photo=fake))
        assert response.status_code == 400 and 'id="id_photo_errors"' in response.content.decode()
        big = SimpleUploadedFile("groot.jpg", b"\xff" * (5 * 1024 * 1024 + 1))
        response = client.post("/ads/new/", _form(photo=big))
        assert response.status_code == 400 and "5 MB" in response.content.decode()
        assert not Ad.objects.exists()


def test_search_finds_dutch_and_english_words_and_filters(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        garden = published_ad(title="Tuinieren", body="Ik help graag met snoeien van struiken")
        walks = published_ad(
            title="Dog walking",
            body="I walk dogs in the park",
            kind="request",
            email="bob@example.org",
            name="Bob",
        )
        html = client.get("/ads/?q=snoei").content.decode()
        assert f"/ads/{garden.pk}/" in html and f"/ads/{walks.pk}/" not in html
        html = client.get("/ads/?q=walked").content.decode()
        assert f"/ads/{walks.pk}/" in html and f"/ads/{garden.pk}/" not in html
        html = client.get("/ads/?kind=request").content.decode()
        assert f"/ads/{walks.pk}/" in html and f"/ads/{garden.pk}/" not in html
        area = add_sub_area(name="Lunetten", by=cast.a.admin.user)
        html = client.get(f"/ads/?sub_area={area.pk}").content.decode()
        assert f"/ads/{garden.pk}/" not in html and f"/ads/{walks.pk}/" not in html
        assert 'aria-live="polite"' in html and "<fieldset>" in html and "<legend>" in html


@pytest.mark.parametrize("count", [10, 500])
def test_the_list_search_and_home_keep_a_constant_number_of_queries(cast, count: int) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        many_published_ads(count)
        client.get("/")  # warm the host lookup
        for path in ("/", "/ads/", "/ads/?q=fiets&kind=offer&page=2", "/ads/?category=1"):
            cache.clear()  # count the rendering, not a cache hit
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200
            assert len(queries) <= 8, (path, [q["sql"] for q in queries])
        html = client.get("/ads/?q=fiets").content.decode()
        assert html.count('<article class="ad-card"') == min(count, 20)
        if count > 20:
            assert "q=fiets&amp;page=2" in html


def test_unpublished_ads_are_404_except_to_their_signed_in_owner(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        client.post("/ads/new/", _form(email=""))  # phone missing too: invalid
        client.post("/ads/new/", _form(email="", phone="0612345678"))
        ad = Ad.objects.get()
        assert client.get(f"/ads/{ad.pk}/").status_code == 404
    assert cast.b.client().get(f"/ads/{ad.pk}/").status_code == 404


def test_own_ads_can_be_edited_renewed_and_closed_by_their_owner_only(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        client.post("/ads/new/", _form())
        ad = _confirm(client, cast.a)
        other = published_ad(email="ander@example.org", name="Ander")
        assert client.get(f"/ads/mine/{other.pk}/edit/").status_code == 404
        assert client.post(f"/ads/mine/{other.pk}/close/").status_code == 404
        data = {
            "title": "Ik lees graag voor",
            "body": "Ook in het Engels.",
            "category": ad.category_id,
        }
        assert client.post(f"/ads/mine/{ad.pk}/edit/", data).status_code == 302
        ad.refresh_from_db()
        assert ad.title == "Ik lees graag voor"
        assert client.get("/ads/?q=Engels").content.decode().count(f"/ads/{ad.pk}/") == 1
        assert client.post(f"/ads/mine/{ad.pk}/renew/").status_code == 302
        assert client.post(f"/ads/mine/{ad.pk}/close/").status_code == 302
        ad.refresh_from_db()
        assert ad.status == AdStatus.CLOSED
        assert cast.a.client().get(f"/ads/{ad.pk}/").status_code == 404
        client.post("/ads/sign-out/")
        assert client.get("/ads/mine/").status_code == 302


def test_a_personal_page_shows_public_fields_only(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad(email="geheim@example.org", name="Fatima")
        person = ad.participant
        Participant.objects.filter(pk=person.pk).update(
            phone="0612345678",
            street_address="Geheimstraat 12",
            full_name="Fatima Geheim",
            introduction="Ik woon hier al twintig jaar.",
        )
        html = client.get(f"/people/{person.pk}/").content.decode()
        assert "Fatima" in html and "twintig jaar" in html and ad.title in html
        for secret in ("geheim@example.org", "0612345678", "Geheimstraat", "Fatima Geheim"):
            assert secret not in html
        for path in (f"/ads/{ad.pk}/", "/ads/", "/"):
            page = client.get(path).content.decode()
            assert "geheim@example.org" not in page and "Geheimstraat" not in page
        Participant.objects.filter(pk=person.pk).update(erased_at="2026-01-01T00:00:00Z")
        assert client.get(f"/people/{person.pk}/").status_code == 404
    assert cast.b.client().get(f"/people/{person.pk}/").status_code == 404


def test_the_participant_edits_their_own_page(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        client.post("/ads/new/", _form())
        ad = _confirm(client, cast.a)
        area = add_sub_area(name="Hoograven", by=cast.a.admin.user)
        response = client.post(
            "/people/me/edit/",
            {"display_name": "Karin B.", "sub_area": area.pk, "introduction": "Hallo!"},
        )
        assert response.status_code == 302
        html = client.get(f"/people/{ad.participant_id}/").content.decode()
        assert "Karin B." in html and "Hoograven" in html and "Hallo!" in html
        assert cast.a.client().get("/people/me/edit/").status_code == 302


def test_the_home_page_shows_the_newest_ads_and_the_broker(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ads = [published_ad(title=f"Hulp nummer {n}", email=f"p{n}@example.org") for n in range(8)]
        html = cast.a.client().get("/").content.decode()
        assert "030 000 00 00" in html
        shown = [ad for ad in ads if f"/ads/{ad.pk}/" in html]
        assert shown == ads[2:]
        assert 'href="/ads/new/"' in html and 'action="/ads/"' in html


def test_the_cached_list_shows_a_new_ad_at_once_and_never_a_placeholder(cast) -> None:
    from tenants.market.cache import CSRF_PLACEHOLDER

    visitor = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        first = visitor.get("/ads/").content.decode()
        assert CSRF_PLACEHOLDER not in first and 'name="csrfmiddlewaretoken"' in first
        ad = published_ad(title="Vers gebakken")
        again = visitor.get("/ads/").content.decode()
        assert f"/ads/{ad.pk}/" in again and CSRF_PLACEHOLDER not in again
        # Each visitor gets a token that works with their own cookie.
        other = cast.a.client()
        other.get("/ads/")
        assert other.cookies["csrftoken"].value != visitor.cookies["csrftoken"].value


def test_a_word_also_finds_the_dutch_compounds_it_starts(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad(title="Tuinonderhoud", body="Wieden en maaien")
        html = cast.a.client().get("/ads/?q=tuin").content.decode()
        assert f"/ads/{ad.pk}/" in html
        for nasty in ("tuin:* | !", "'\\\\", "a & (b", "<script>"):
            assert cast.a.client().get("/ads/", {"q": nasty}).status_code == 200


def test_the_cached_list_follows_every_change_of_what_it_shows(cast) -> None:
    from tenants.market.services.lists import change_category, change_sub_area
    from tenants.people.services.privacy import ERASE_CONFIRMATION, erase_participant
    from tenants.people.services.registration import update_participant

    visitor = cast.a.client()
    admin = cast.a.admin.user
    with tenant_context(cast.a.neighbourhood):
        area = add_sub_area(name="Tolsteeg", by=admin)
        ad = published_ad(title="Boodschappen doen", name="Wim", sub_area=area)
        assert "Tolsteeg" in visitor.get("/ads/").content.decode()
        change_sub_area(sub_area=area, by=admin, name="Tolsteeg-Oost", position=1)
        assert "Tolsteeg-Oost" in visitor.get("/ads/").content.decode()
        change_category(
            category=ad.category, by=admin, name="Groen en tuin", position=1, is_active=True
        )
        assert "Groen en tuin" in visitor.get("/ads/").content.decode()
        update_participant(participant=ad.participant, changed_by=admin, display_name="Willem")
        assert "Willem" in visitor.get("/ads/").content.decode()
        erase_participant(
            participant=ad.participant, erased_by=admin, confirmation=ERASE_CONFIRMATION
        )
        assert f"/ads/{ad.pk}/" not in visitor.get("/ads/").content.decode()
