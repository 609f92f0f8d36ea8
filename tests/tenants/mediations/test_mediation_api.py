"""The mediations API: staff only, refusals with reasons, in the OpenAPI schema."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.mediations import services
from tenants.mediations.models import Mediation

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ENDPOINTS = [
    "/api/v1/mediations/",
    "/api/v1/follow-ups/",
    "/api/v1/placements/",
    "/api/v1/mediations/suggestions/?ad=1",
]


def _api(place, member):  # type: ignore[no-untyped-def]
    client = place.client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {member.token}"
    return client


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_only_staff_of_this_neighbourhood_use_the_api(
    cast, world, organisation_member, endpoint
) -> None:
    assert _api(cast.a, cast.a.resident).get(endpoint).status_code == 403
    assert cast.a.client(organisation_member).get(endpoint).status_code == 403
    assert cast.a.client().get(endpoint).status_code in (401, 403)
    assert _api(cast.a, cast.b.broker).get(endpoint).status_code == 401  # B's token in A
    assert _api(cast.a, cast.a.admin).get(endpoint).status_code in (200, 404)


def test_recording_and_ending_a_mediation(cast, world) -> None:
    client = _api(cast.a, cast.a.broker)
    today = timezone.localdate()
    with tenant_context(cast.a.neighbourhood):
        offer = world.ad(world.bert, "offer", "Fietsles", "Ik leer je fietsen")
    created = client.post(
        "/api/v1/mediations/",
        {"requester": world.ann.pk, "provider": world.bert.pk, "ads": [offer.pk]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["requester"] == {"id": world.ann.pk, "display_name": "Ann"}
    assert body["active"] and not body["via_site"] and len(body["follow_ups"]) == 2
    pk = body["id"]
    assert client.get(f"/api/v1/mediations/{pk}/").json()["ads"][0]["title"] == "Fietsles"
    with tenant_context(cast.a.neighbourhood):  # the notes and reason were read: recorded
        assert AuditEvent.objects.filter(action="mediation.viewed", target_id=str(pk)).exists()
    refused = client.post(
        f"/api/v1/mediations/{pk}/status/",
        {"status": "match", "ended_on": str(today + DAY)},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "ended_on" in refused.json()
    ended = client.post(
        f"/api/v1/mediations/{pk}/status/",
        {"status": "match", "reason": "Fietst nu zelf"},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["status"] == "match"
    skipped = client.post(
        f"/api/v1/mediations/{pk}/status/",
        {"status": "cancelled", "reason": "Verhuisd"},
        content_type="application/json",
    )
    assert skipped.status_code == 400 and "status" in skipped.json()
    reopened = client.post(
        f"/api/v1/mediations/{pk}/status/", {"status": "open"}, content_type="application/json"
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    for ending in ("no_match", "cancelled"):
        no_reason = client.post(
            f"/api/v1/mediations/{pk}/status/",
            {"status": ending, "reason": "  "},
            content_type="application/json",
        )
        assert no_reason.status_code == 400 and no_reason.json()["reason"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"provider": "ann"}, "provider"),
        ({"started_on": "tomorrow"}, "started_on"),
        ({"provider": "gone"}, "provider"),
        ({"provider": None}, "provider"),
    ],
)
def test_bad_mediations_are_refused_with_a_reason(cast, world, data, field) -> None:
    values = {
        "ann": world.ann.pk,
        "gone": world.gone.pk,
        "tomorrow": str(timezone.localdate() + DAY),
        None: None,
    }
    payload = {"requester": world.ann.pk, "provider": world.bert.pk}
    payload.update({key: values[value] for key, value in data.items()})
    response = _api(cast.a, cast.a.broker).post(
        "/api/v1/mediations/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    with tenant_context(cast.a.neighbourhood):
        assert not Mediation.objects.exists()


def test_the_list_filters_in_a_fixed_number_of_queries(cast, world) -> None:
    client = _api(cast.a, cast.a.broker)
    client.get("/api/v1/mediations/")
    counts = []
    for extra in (1, 12):
        with tenant_context(cast.a.neighbourhood):
            for index in range(extra):
                other = world.participant(f"Buur {len(counts)}-{index}")
                ad = world.ad(other, "offer", "Hulp", "Ik help")
                services.start_mediation(
                    requester=world.ann, provider=other, ads=[ad], active=index % 2 == 0
                )
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/mediations/")
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.json()["count"] == 13
    via_site = client.get("/api/v1/mediations/?active=false").json()
    assert via_site["count"] == 6 and all(m["via_site"] for m in via_site["results"])
    assert client.get(f"/api/v1/mediations/?participant={world.bert.pk}").json()["count"] == 0
    assert client.get("/api/v1/mediations/?status=bogus").status_code == 400


def test_support_follow_ups_and_suggestions(cast, world) -> None:
    client = _api(cast.a, cast.a.broker)
    today = timezone.localdate()
    with tenant_context(cast.a.neighbourhood):
        request = world.ad(
            world.ann, "request", "Tuin", "Wie helpt in de tuin?", category=world.garden
        )
        world.ad(world.bert, "offer", "Tuinhulp", "Ik help in de tuin", category=world.garden)
        mediation = services.start_mediation(
            requester=world.ann, provider=world.bert, active=False, started_on=today - 20 * DAY
        )
        services.start_mediation(
            requester=world.carla, provider=world.bert, active=True, started_on=today - 15 * DAY
        )
    supported = client.post(f"/api/v1/mediations/{mediation.pk}/support/")
    assert supported.status_code == 200 and supported.json()["active"]
    assert client.post(f"/api/v1/mediations/{mediation.pk}/support/").status_code == 400
    due = client.get("/api/v1/follow-ups/").json()
    assert due["count"] == 1
    later = client.get(f"/api/v1/follow-ups/?due_by={today + 15 * DAY}").json()
    assert later["count"] == 2  # and the first of the newly supported one (in two weeks)
    assert client.get("/api/v1/follow-ups/?due_by=gisteren").status_code == 400
    follow_up = due["results"][0]["id"]
    done = client.post(
        f"/api/v1/follow-ups/{follow_up}/done/", {"note": "Gebeld"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["note"] == "Gebeld"
    assert client.post(f"/api/v1/follow-ups/{follow_up}/done/").status_code == 404
    suggestions = client.get(f"/api/v1/mediations/suggestions/?ad={request.pk}").json()
    assert [s["ad"]["title"] for s in suggestions] == ["Tuinhulp"]
    assert suggestions[0]["participant"]["display_name"] == "Bert"
    assert client.get("/api/v1/mediations/suggestions/").status_code == 400


def test_placements_through_the_api(cast, world) -> None:
    client = _api(cast.a, cast.a.broker)
    today = timezone.localdate()
    with tenant_context(cast.a.neighbourhood):
        elsewhere = world.ad(world.ann, "vacancy", "Bar", "Bardienst", organisation=world.school)
        other = world.participant("Club")
    created = client.post(
        "/api/v1/placements/",
        {"participant": world.carla.pk, "organisation": world.school.pk, "vacancy": elsewhere.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    early = client.post(
        f"/api/v1/placements/{pk}/end/",
        {"ended_on": str(today - DAY)},
        content_type="application/json",
    )
    assert early.status_code == 400 and "ended_on" in early.json()
    assert client.post(f"/api/v1/placements/{pk}/end/").json()["ended_on"] == str(today)
    assert client.get("/api/v1/placements/?current=1").json()["count"] == 0
    assert other.pk


def test_the_endpoints_are_in_the_openapi_schema(cast) -> None:
    schema = cast.a.client().get("/api/schema/?format=json").json()
    for path in [
        "/api/v1/mediations/",
        "/api/v1/mediations/{id}/status/",
        "/api/v1/mediations/{id}/support/",
        "/api/v1/mediations/suggestions/",
        "/api/v1/follow-ups/",
        "/api/v1/follow-ups/{id}/done/",
        "/api/v1/placements/",
        "/api/v1/placements/{id}/end/",
    ]:
        assert path in schema["paths"], path
