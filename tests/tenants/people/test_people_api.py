"""/api/v1/participants/ and friends: staff only, 409 on duplicates, audited reads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.people.models import Participant
from tenants.people.services.messages import notify_participant
from tenants.people.services.participants import register_participant
from tenants.people.services.privacy import erased_name
from tests.support.cast import client_for

pytestmark = pytest.mark.django_db


def _api(place, member):  # type: ignore[no-untyped-def]
    client = client_for(place.host)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {member.token}"
    return client


def test_residents_and_other_neighbourhoods_get_nothing(cast, enrol) -> None:
    participant = enrol(cast.a, email="ans@example.test")
    urls = [
        "/api/v1/participants/",
        f"/api/v1/participants/{participant.pk}/",
        f"/api/v1/participants/{participant.pk}/notes/",
        f"/api/v1/participants/{participant.pk}/export/",
        "/api/v1/participants/profile-figures/",
        "/api/v1/held-messages/",
    ]
    for url in urls:
        assert _api(cast.a, cast.a.resident).get(url).status_code == 403, url
        assert _api(cast.a, cast.a.broker).get(url).status_code == 200, url
        assert _api(cast.a, cast.a.admin).get(url).status_code == 200, url
        # A's token means nothing on B's site.
        b = client_for(cast.b.host)
        assert b.get(url, HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}").status_code == 401
    assert _api(cast.b, cast.b.broker).get(urls[1]).status_code == 404
    listed = _api(cast.b, cast.b.broker).get(urls[0]).json()
    assert listed["count"] == 0
    refused = _api(cast.a, cast.a.resident).post(
        "/api/v1/participants/", {"display_name": "X", "consents": ["registration"]}
    )
    assert refused.status_code == 403


def test_registering_a_duplicate_answers_409_with_the_ids(cast, enrol) -> None:
    existing = enrol(cast.a, display_name="Kees", email="kees@example.test")
    client = _api(cast.a, cast.a.broker)
    data = {
        "display_name": "Kees B",
        "email": "Kees@Example.test",
        "phone": "",
        "consents": ["registration", "share_contact"],
    }
    response = client.post("/api/v1/participants/", data, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["duplicates"] == [existing.pk]
    data["confirm_not_duplicate"] = True
    response = client.post("/api/v1/participants/", data, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["email"] == "kees@example.test"
    assert body["consents"] == ["registration", "share_contact"]
    missing = client.post(
        "/api/v1/participants/",
        {"display_name": "Zonder", "consents": ["share_contact"]},
        content_type="application/json",
    )
    assert missing.status_code == 400 and "consents" in missing.json()


def test_editing_through_the_api_checks_duplicates(cast, enrol) -> None:
    enrol(cast.a, display_name="Kees", phone="0301112233")
    participant = enrol(cast.a, display_name="Ans")
    client = _api(cast.a, cast.a.broker)
    url = f"/api/v1/participants/{participant.pk}/"
    clash = client.patch(url, {"phone": "030 111 22 33"}, content_type="application/json")
    assert clash.status_code == 409
    ok = client.patch(
        url,
        {"phone": "030 111 22 33", "confirm_not_duplicate": True, "through_broker_only": True},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["through_broker_only"] is True


def test_the_list_searches_is_paginated_and_keeps_its_query_count(cast) -> None:
    client = _api(cast.a, cast.a.broker)

    def make(count: int) -> None:
        with tenant_context(cast.a.neighbourhood):
            for number in range(count):
                register_participant(display_name=f"Buur {number}", consents=["registration"])

    def queries() -> int:
        client.get("/api/v1/participants/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/participants/").status_code == 200
        return len(captured)

    make(20)
    few = queries()
    make(200)
    assert queries() == few
    body = client.get("/api/v1/participants/", {"q": "Buur 199"}).json()
    assert [p["display_name"] for p in body["results"]] == ["Buur 199"]
    assert client.get("/api/v1/participants/").json()["count"] == 220


def test_reads_of_contact_details_and_notes_are_audited(cast, enrol) -> None:
    participant = enrol(cast.a)
    client = _api(cast.a, cast.a.broker)
    base = f"/api/v1/participants/{participant.pk}/"
    note = client.post(base + "notes/", {"text": "Belt liever 's ochtends"})
    assert note.status_code == 201
    note_id = note.json()["id"]
    client.get(base)
    client.get(base + "notes/")
    assert client.get(f"/api/v1/participant-notes/{note_id}/").json()["text"].startswith("Belt")
    changed = client.patch(
        f"/api/v1/participant-notes/{note_id}/",
        {"text": "Belt 's middags"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["edited_at"]
    timeline = client.get(base + "timeline/").json()
    assert {entry["kind"] for entry in timeline} >= {"registered", "consent", "note"}
    with tenant_context(cast.a.neighbourhood):
        actions = list(
            AuditEvent.objects.filter(target_id=str(participant.pk))
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert actions == [
        "participant.registered",
        "note.added",
        "participant.viewed",
        "notes.viewed",
        "notes.viewed",
        "note.edited",
        "participant.viewed",
    ]


def test_consents_profile_and_figures(cast, enrol) -> None:
    participant = enrol(cast.a)
    client = _api(cast.a, cast.a.broker)
    base = f"/api/v1/participants/{participant.pk}/"
    refused = client.put(base + "profile/", {"gender": "woman"}, content_type="application/json")
    assert refused.status_code == 400
    given = client.post(
        base + "consents/",
        {"topic": "self_reported", "action": "give"},
        content_type="application/json",
    )
    assert {c["topic"] for c in given.json()} == {"registration", "self_reported"}
    saved = client.put(
        base + "profile/",
        {"gender": "woman", "household": "alone", "age_band": "75_plus"},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["born_abroad"] == ""
    odd_age = client.put(base + "profile/", {"age_band": "83"}, content_type="application/json")
    assert odd_age.status_code == 400 and "age_band" in odd_age.json()
    figures = client.get("/api/v1/participants/profile-figures/").json()
    assert figures["gender"] == {"woman": 1} and figures["household"] == {"alone": 1}
    assert figures["age_band"] == {"75_plus": 1}
    assert figures["born_abroad"] == {"": 1}
    client.post(
        base + "consents/",
        {"topic": "self_reported", "action": "withdraw"},
        content_type="application/json",
    )
    assert client.get("/api/v1/participants/profile-figures/").json()["gender"] == {}
    bad = client.post(
        base + "consents/",
        {"topic": "marketing", "action": "give"},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_vog_and_held_messages_through_the_api(cast, enrol) -> None:
    participant = enrol(cast.a, display_name="Truus")
    client = _api(cast.a, cast.a.broker)
    certificate = client.post(
        f"/api/v1/participants/{participant.pk}/certificates/",
        {"seen_on": "2021-02-01", "valid_until": "2024-02-01"},
        content_type="application/json",
    )
    assert certificate.status_code == 201 and certificate.json()["valid"] is False
    with tenant_context(cast.a.neighbourhood):
        held = notify_participant(participant=participant, subject="s", body="b", purpose="t")
    pending = client.get("/api/v1/held-messages/").json()
    assert [m["id"] for m in pending["results"]] == [held.pk]
    assert client.post(f"/api/v1/held-messages/{held.pk}/handled/").status_code == 200
    assert client.get("/api/v1/held-messages/").json()["count"] == 0
    assert (
        _api(cast.a, cast.a.resident).post(f"/api/v1/held-messages/{held.pk}/handled/").status_code
        == 403
    )


def test_export_and_erase_through_the_api(cast, enrol) -> None:
    participant = enrol(cast.a, display_name="Ans", email="ans@example.test")
    client = _api(cast.a, cast.a.broker)
    base = f"/api/v1/participants/{participant.pk}/"
    exported = client.get(base + "export/").json()
    assert exported["participant"]["email"] == "ans@example.test"
    refused = client.post(base + "erase/", {"confirmation": "yes"}, content_type="application/json")
    assert refused.status_code == 400 and "confirmation" in refused.json()
    erased = client.post(
        base + "erase/", {"confirmation": "ERASE"}, content_type="application/json"
    )
    assert erased.status_code == 200
    with tenant_context(cast.a.neighbourhood):
        expected = erased_name(participant.pk)
    assert erased.json()["display_name"] == expected
    assert erased.json()["email"] == ""
    with tenant_context(cast.a.neighbourhood):
        assert Participant.objects.filter(pk=participant.pk, erased_at__isnull=False).exists()


def test_the_endpoints_are_in_the_openapi_schema(cast) -> None:
    schema = client_for(cast.a.host).get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/participants/",
        "/api/v1/participants/{id}/erase/",
        "/api/v1/participants/{id}/export/",
        "/api/v1/participants/profile-figures/",
        "/api/v1/held-messages/",
        "/api/v1/participant-notes/{id}/",
    ):
        assert path in schema["paths"], path
