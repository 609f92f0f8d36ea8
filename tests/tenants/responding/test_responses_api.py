"""The API of responding, reporting, replying and "did it work out?", and the staff list of
responses held for the broker: who may call what, bad input, limits, constant queries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.market.models import Report, Response
from tenants.mediations.models import Mediation
from tenants.responding.services.outcomes import ask_outcomes
from tenants.responding.services.responses import respond_to_ad
from tests.support.cast import client_for
from tests.support.factories import OWNER_EMAIL, RESPONDER_EMAIL, published_ad, respond_form
from tests.support.outbox import link_in, mails_to

pytestmark = pytest.mark.django_db


def _api(place, member=None):  # type: ignore[no-untyped-def]
    client = client_for(place.host)
    if member is not None:
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {member.token}"
    return client


def test_anyone_may_respond_through_the_api(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    answer = _api(cast.a).post(
        f"/api/v1/ads/{ad.pk}/responses/", respond_form(), content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json() == {"status": "passed_on"}
    with tenant_context(cast.a.neighbourhood):
        assert Response.objects.filter(ad=ad).count() == 1
        [relayed] = mails_to(OWNER_EMAIL)
        assert RESPONDER_EMAIL not in relayed.body


def test_bad_api_input_names_the_field(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    api = _api(cast.a)
    empty = api.post(
        f"/api/v1/ads/{ad.pk}/responses/",
        respond_form(message="  "),
        content_type="application/json",
    )
    assert empty.status_code == 400 and "message" in empty.json()
    nobody = api.post(
        f"/api/v1/ads/{ad.pk}/responses/",
        respond_form(email="", phone=""),
        content_type="application/json",
    )
    assert nobody.status_code == 400 and "email" in nobody.json()
    assert api.post("/api/v1/ads/999999/responses/", respond_form()).status_code == 404
    bot = api.post(
        f"/api/v1/ads/{ad.pk}/responses/",
        respond_form(website="x"),
        content_type="application/json",
    )
    assert bot.status_code == 201
    with tenant_context(cast.a.neighbourhood):
        assert not Response.objects.exists()


def test_the_api_is_limited_per_address_with_a_reason(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    api = _api(cast.a)
    url = f"/api/v1/ads/{ad.pk}/responses/"
    for _ in range(5):
        assert api.post(url, respond_form(), content_type="application/json").status_code == 201
    limited = api.post(url, respond_form(), content_type="application/json")
    assert limited.status_code == 429 and "detail" in limited.json()


def test_reports_through_the_api(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    api = _api(cast.a)
    url = f"/api/v1/ads/{ad.pk}/reports/"
    assert api.post(url, {"reason": "unsafe"}, content_type="application/json").status_code == 201
    bad = api.post(url, {"reason": "nonsense"}, content_type="application/json")
    assert bad.status_code == 400 and "reason" in bad.json()
    with tenant_context(cast.a.neighbourhood):
        assert Report.objects.get(ad=ad).reason == "unsafe"


WIDE = "\U0001f600"  # 4 bytes in UTF-8: the widest a character gets in the column


def test_a_message_and_an_explanation_are_taken_up_to_their_length_in_any_characters(cast) -> None:
    # The columns are bounded (stored in the row, docs/adr/0013): one character more is a 400
    # naming the field, never a database error.
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    api = _api(cast.a)
    responses, reports = f"/api/v1/ads/{ad.pk}/responses/", f"/api/v1/ads/{ad.pk}/reports/"
    for url, body, field, length in (
        (responses, respond_form(), "message", 2000),
        (reports, {"reason": "other"}, "explanation", 1000),
    ):
        too_long = api.post(
            url, {**body, field: WIDE * (length + 1)}, content_type="application/json"
        )
        assert too_long.status_code == 400 and field in too_long.json(), too_long.content
        full = api.post(url, {**body, field: WIDE * length}, content_type="application/json")
        assert full.status_code == 201, full.content
    with tenant_context(cast.a.neighbourhood):
        assert Response.objects.get(ad=ad).message == WIDE * 2000
        assert Report.objects.get(ad=ad).explanation == WIDE * 1000


def test_the_owner_replies_through_the_api(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    _api(cast.a).post(
        f"/api/v1/ads/{ad.pk}/responses/", respond_form(), content_type="application/json"
    )
    with tenant_context(cast.a.neighbourhood):
        token = link_in(mails_to(OWNER_EMAIL)[0].body, "/responses/").split("/")[2]
    api = _api(cast.a)
    before = api.get(f"/api/v1/replies/{token}/").json()
    assert before["responder_email"] == "" and before["replied_at"] is None
    nothing_shared = api.post(
        f"/api/v1/replies/{token}/", {"message": "Graag"}, content_type="application/json"
    )
    assert nothing_shared.status_code == 400 and "share_email" in nothing_shared.json()
    replied = api.post(
        f"/api/v1/replies/{token}/",
        {"message": "Graag", "share_email": True},
        content_type="application/json",
    )
    assert replied.status_code == 200 and replied.json()["responder_email"] == RESPONDER_EMAIL
    twice = api.post(
        f"/api/v1/replies/{token}/",
        {"message": "Nog eens", "share_email": True},
        content_type="application/json",
    )
    assert twice.status_code == 400
    assert api.get("/api/v1/replies/x-x/").status_code == 404


def test_outcome_answers_through_the_api(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    _api(cast.a).post(
        f"/api/v1/ads/{ad.pk}/responses/", respond_form(), content_type="application/json"
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        with tenant_context(cast.a.neighbourhood):
            ask_outcomes()
            [question] = mails_to(OWNER_EMAIL, purpose="market.outcome")
            token = link_in(question.body, "/outcome/").split("/")[2]
        api = _api(cast.a)
        assert api.get(f"/api/v1/outcomes/{token}/").json() == {"answer": None}
        bad = api.post(f"/api/v1/outcomes/{token}/", {"answer": "maybe"})
        assert bad.status_code == 400 and "answer" in bad.json()
        assert api.post(f"/api/v1/outcomes/{token}/", {"answer": "yes"}).status_code == 200
        assert api.get(f"/api/v1/outcomes/{token}/").json() == {"answer": "yes"}
        assert api.post("/api/v1/outcomes/x-x/", {"answer": "yes"}).status_code == 404
        with tenant_context(cast.a.neighbourhood):
            assert Mediation.objects.get(response__ad=ad).status == "match"


def _held_response(place, n: int = 0) -> Response:  # type: ignore[no-untyped-def]
    ad = published_ad(email=f"kwetsbaar{n}@example.org", through_broker_only=True)
    return respond_to_ad(
        ad=ad, display_name="Bert", email=f"bert{n}@example.org", message="Ik help graag."
    )


def test_only_staff_list_the_held_responses_of_their_own_neighbourhood(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        held = _held_response(cast.a)
        published_ad(email="gewoon@example.org")  # not held: never listed
    with tenant_context(cast.b.neighbourhood):
        _held_response(cast.b, 1)
    for member in (cast.a.broker, cast.a.admin):
        listed = _api(cast.a, member).get("/api/v1/held-responses/")
        assert listed.status_code == 200
        assert [r["id"] for r in listed.json()["results"]] == [held.pk]
        assert "bert0@example.org" not in listed.content.decode()
    assert _api(cast.a, cast.a.resident).get("/api/v1/held-responses/").status_code == 403
    assert _api(cast.a).get("/api/v1/held-responses/").status_code in (401, 403)
    assert _api(cast.b, cast.a.broker).get("/api/v1/held-responses/").status_code == 401
    seen = _api(cast.a, cast.a.broker).post(f"/api/v1/held-responses/{held.pk}/seen/")
    assert seen.status_code == 200 and seen.json()["seen_by_broker_at"]
    resident = _api(cast.a, cast.a.resident).post(f"/api/v1/held-responses/{held.pk}/seen/")
    assert resident.status_code == 403


def test_the_held_list_keeps_its_number_of_queries(cast) -> None:
    api = _api(cast.a, cast.a.broker)
    with tenant_context(cast.a.neighbourhood):
        _held_response(cast.a, 0)
    api.get("/api/v1/held-responses/")  # the host lookup is cached now
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/v1/held-responses/").status_code == 200
    with tenant_context(cast.a.neighbourhood):
        for n in range(1, 8):
            _held_response(cast.a, n)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/v1/held-responses/").json()["results"]) == 8
    assert len(many) == len(few)
