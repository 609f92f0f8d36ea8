"""The marketplace API: public list and search, placing without an account, confirming,
owner actions, public personal pages, the schema."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.market.models import Ad, AdStatus, Category
from tenants.outbox.models import OutboxMessage
from tests.support.factories import many_published_ads, published_ad

pytestmark = pytest.mark.django_db

ADS = "/api/v1/ads/"


def _new(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "request",
        "title": "Wie gaat mee naar de markt?",
        "body": "Ik zoek gezelschap op zaterdag.",
        "category": Category.objects.get(slug="overig").pk,
        "display_name": "Joke",
        "email": "joke@example.org",
    }
    data.update(changes)
    return data


def _token() -> str:
    body = OutboxMessage.objects.filter(purpose="market.confirm_ad").latest("id").body
    return re.search(r"/ads/confirm/([^/\s]+)/", body).group(1)


def test_anyone_places_and_confirms_an_ad_through_the_api(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        response = client.post(ADS, _new(), content_type="application/json")
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "unconfirmed"
        ad_id = response.json()["id"]
        assert client.get(f"{ADS}{ad_id}/").status_code == 404
        token = _token()
        response = client.post(f"{ADS}confirm/", {"token": token}, content_type="application/json")
        assert response.status_code == 200 and response.json()["status"] == "published"
        again = client.post(f"{ADS}confirm/", {"token": token}, content_type="application/json")
        assert again.status_code == 410 and again.json()["code"] == "used"
        unknown = client.post(f"{ADS}confirm/", {"token": "x"}, content_type="application/json")
        assert unknown.status_code == 404
        item = cast.a.client().get(f"{ADS}{ad_id}/").json()
        assert item["owner"]["display_name"] == "Joke"
        assert "joke@example.org" not in str(item)


def test_bad_input_is_a_400_naming_the_fields(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        response = client.post(
            ADS, _new(title="x" * 101, email="", display_name=""), content_type="application/json"
        )
        assert response.status_code == 400 and "title" in response.json()
        response = client.post(ADS, _new(email=""), content_type="application/json")
        assert response.status_code == 400 and "email" in response.json()
        response = client.post(ADS, _new(kind="vacancy"), content_type="application/json")
        assert response.status_code == 400 and "kind" in response.json()
        assert not Ad.objects.exists()


def test_placing_is_throttled_per_ip(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        codes = [
            client.post(
                ADS, _new(email=f"p{n}@example.org"), content_type="application/json"
            ).status_code
            for n in range(6)
        ]
        assert codes == [201] * 5 + [429]


def test_the_list_searches_filters_and_keeps_its_queries(cast) -> None:
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        published_ad(title="Snoeien", body="Ik snoei uw heg")
        many_published_ads(60)
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"{ADS}?q=fiets&kind=offer").json()
        assert len(queries) <= 6
        assert page["count"] == 30 and len(page["results"]) == 25
        assert client.get(f"{ADS}?q=heg").json()["count"] == 1
        assert client.get(f"{ADS}?category=99999").json()["count"] == 0
        categories = client.get("/api/v1/categories/").json()
        assert categories["count"] == 9 and len(categories["results"]) == 9  # paginated


def test_only_the_owner_or_staff_change_an_ad(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
        anonymous = cast.a.client()
        url = f"{ADS}{ad.pk}/"
        change = {"title": "Nieuwe titel"}
        assert anonymous.patch(url, change, content_type="application/json").status_code in (
            401,
            403,
        )
        resident = Client(
            HTTP_HOST=cast.a.host, HTTP_AUTHORIZATION=f"Token {cast.a.resident.token}"
        )
        assert resident.post(f"{url}close/").status_code in (401, 403)
        broker = Client(HTTP_HOST=cast.a.host, HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}")
        response = broker.patch(url, change, content_type="application/json")
        assert response.status_code == 200 and response.json()["title"] == "Nieuwe titel"
        assert broker.post(f"{url}close/").json()["status"] == "closed"
        assert AuditEvent.objects.filter(action="ad.closed_for").exists()


def test_the_owner_signed_in_by_the_link_needs_the_csrf_token(cast) -> None:
    client = Client(HTTP_HOST=cast.a.host, enforce_csrf_checks=True)
    with tenant_context(cast.a.neighbourhood):
        client.get("/ads/new/")
        csrf = client.cookies["csrftoken"].value
        client.post(ADS, _new(), content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
        response = client.post(
            f"{ADS}confirm/",
            {"token": _token()},
            content_type="application/json",
            HTTP_X_CSRFTOKEN=csrf,
        )
        ad_id = response.json()["id"]
        csrf = client.cookies["csrftoken"].value
        assert client.post(f"{ADS}{ad_id}/renew/").status_code == 403
        response = client.post(f"{ADS}{ad_id}/renew/", HTTP_X_CSRFTOKEN=csrf)
        assert response.status_code == 200, response.content
        assert Ad.objects.get(pk=ad_id).status == AdStatus.PUBLISHED


def test_a_personal_page_in_the_api_has_public_fields_only(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad(email="geheim@example.org")
        item = cast.a.client().get(f"/api/v1/people/{ad.participant_id}/").json()
        assert set(item) == {"id", "display_name", "sub_area", "introduction", "open_ads"}
        assert [a["id"] for a in item["open_ads"]] == [ad.pk]
        assert "geheim@example.org" not in str(item)
    assert cast.b.client().get(f"/api/v1/people/{ad.participant_id}/").status_code == 404


def test_the_schema_lists_the_marketplace_without_warnings(cast, capsys) -> None:
    response = Client(HTTP_HOST=cast.a.host).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert {
        "/api/v1/ads/",
        "/api/v1/ads/{id}/",
        "/api/v1/ads/confirm/",
        "/api/v1/ads/{id}/renew/",
        "/api/v1/ads/{id}/close/",
        "/api/v1/categories/",
        "/api/v1/sub-areas/",
        "/api/v1/people/{id}/",
    } <= paths
    captured = capsys.readouterr()
    assert "Warning" not in captured.err and "Error" not in captured.err, captured.err


def test_a_resident_account_linked_to_the_participant_manages_its_ads(cast) -> None:
    from tenants.people.services.participants import register_participant

    with tenant_context(cast.a.neighbourhood):
        owner = register_participant(
            display_name="Resident", email="resident@wijk-a.test", user=cast.a.resident.user
        )
        ad = published_ad(email=owner.email)
        assert ad.participant_id == owner.pk
        resident = Client(
            HTTP_HOST=cast.a.host, HTTP_AUTHORIZATION=f"Token {cast.a.resident.token}"
        )
        response = resident.post(f"{ADS}{ad.pk}/close/")
        assert response.status_code == 200 and response.json()["status"] == "closed"
        other = published_ad(email="ander@example.org")
        assert resident.post(f"{ADS}{other.pk}/close/").status_code == 404


def _png_with_text_chunk() -> bytes:
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "SecretName")
    out = io.BytesIO()
    Image.new("RGB", (2400, 1200), "teal").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def test_a_photo_is_placed_and_changed_through_the_api_with_the_page_rules(
    cast, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        not_a_photo = SimpleUploadedFile("x.jpg", b"%PDF-1.4 nope", content_type="image/jpeg")
        refused = client.post(ADS, {**_new(), "photo": not_a_photo})
        assert refused.status_code == 400 and "photo" in refused.json()
        assert not Ad.objects.exists()
        photo = SimpleUploadedFile("p.png", _png_with_text_chunk(), content_type="image/png")
        placed = client.post(ADS, {**_new(), "photo": photo})
        assert placed.status_code == 201, placed.content
        ad = Ad.objects.get(pk=placed.json()["id"])
        with Image.open(ad.photo.path) as stored:
            assert stored.format == "JPEG" and max(stored.size) == 1600
            assert not stored.info.get("Author") and b"SecretName" not in ad.photo.read()
        confirmed = client.post(f"{ADS}confirm/", {"token": _token()})
        assert confirmed.status_code == 200
        old = ad.photo.name
        again = SimpleUploadedFile("q.png", _png_with_text_chunk(), content_type="image/png")
        changed = client.patch(
            f"{ADS}{ad.pk}/",
            data=_multipart({"photo": again}),
            content_type=MULTIPART,
        )
        assert changed.status_code == 200, changed.content
        ad.refresh_from_db()
        assert ad.photo.name != old and changed.json()["photo"]


MULTIPART = "multipart/form-data; boundary=BoUnDaRy"


def _multipart(data: dict[str, object]) -> bytes:
    from django.test.client import encode_multipart

    return encode_multipart("BoUnDaRy", data)


def test_placing_through_the_api_counts_against_the_pages_address_limit(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        for email in ("Lia@example.org", "lia@example.org", "LIA@example.org"):
            answer = Client(HTTP_HOST=cast.a.host).post(
                ADS, _new(email=email), content_type="application/json"
            )
            assert answer.status_code == 201
        answer = Client(HTTP_HOST=cast.a.host).post(
            ADS, _new(email="lia@EXAMPLE.org"), content_type="application/json"
        )
        assert answer.status_code == 429 and answer.json()["detail"]
        assert Ad.objects.count() == 3


def test_only_a_member_places_an_ad_in_the_name_of_an_organisation(cast) -> None:
    # Not only vacancies: an offer "for" an organisation shows its name on the public ad.
    from tenants.organisations.services import create_organisation

    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        organisation = create_organisation(by=cast.a.broker.user, name="Buurthuis De Pijler")
        response = client.post(
            ADS, _new(kind="offer", organisation=organisation.pk), content_type="application/json"
        )
        assert response.status_code == 400, response.content
        assert not Ad.objects.filter(organisation=organisation).exists()
