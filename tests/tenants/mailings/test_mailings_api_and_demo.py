"""The newsletter's API per role, and the demo content."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.mailings import demo
from tenants.mailings.models import Newsletter, Subscriber
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_staff_manage_subscribers_and_newsletters_through_the_api(cast) -> None:
    broker = cast.a.client(cast.a.broker)
    created = broker.post(
        "/api/v1/mailings/subscribers/",
        {"email": "api@example.org", "language": "en", "agreed": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    listed = broker.get("/api/v1/mailings/subscribers/")
    assert listed.status_code == 200 and listed.json()["results"][0]["email"] == "api@example.org"
    with tenant_context(cast.a.neighbourhood):
        assert AuditEvent.objects.filter(action="subscriber_list.viewed").exists()
        factories.published_ad(title="Via de API", kind="offer")

    draft = broker.post("/api/v1/mailings/newsletters/", content_type="application/json")
    assert draft.status_code == 201
    pk = draft.json()["id"]
    assert "Via de API" in str(draft.json()["sections"])
    refused = broker.patch(
        f"/api/v1/mailings/newsletters/{pk}/", {"subject": ""}, content_type="application/json"
    )
    assert refused.status_code == 400 and "subject" in refused.json()
    edited = broker.patch(
        f"/api/v1/mailings/newsletters/{pk}/",
        {"subject": "Via de API", "sections": [{"title": "Eén", "items": [{"title": "X"}]}]},
        content_type="application/json",
    )
    assert edited.status_code == 200 and edited.json()["sections"][0]["items"][0]["title"] == "X"
    assert broker.post(f"/api/v1/mailings/newsletters/{pk}/test/").status_code == 202
    sent = broker.post(
        f"/api/v1/mailings/newsletters/{pk}/send/", {}, content_type="application/json"
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sending"
    counts = broker.get(f"/api/v1/mailings/newsletters/{pk}/counts/").json()
    assert set(counts) == {"recipients", "queued", "sent", "failed", "bounced", "done"}

    # residents and other neighbourhoods get nothing
    assert cast.a.client(cast.a.resident).get("/api/v1/mailings/subscribers/").status_code == 403
    assert (
        cast.b.client(cast.b.broker).get(f"/api/v1/mailings/newsletters/{pk}/").status_code == 404
    )


def test_anyone_subscribes_through_the_api(cast) -> None:
    client = cast.a.client()
    answer = client.post(
        "/api/v1/mailings/subscribe/",
        {"email": "open@example.org"},
        content_type="application/json",
    )
    assert answer.status_code == 202
    assert (
        client.post(
            "/api/v1/mailings/subscribe/", {"email": "nope"}, content_type="application/json"
        ).status_code
        == 400
    )
    with tenant_context(cast.a.neighbourhood):
        assert Subscriber.objects.get(email="open@example.org").status == "pending"


def test_the_demo_has_subscribers_a_sent_newsletter_and_next_months_draft(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        factories.participant("Demo", email="demo@example.org")
        demo.add_demo_data(cast.a.neighbourhood)
        demo.add_demo_data(cast.a.neighbourhood)  # once
        assert Subscriber.objects.filter(status="active").count() >= 20
        statuses = list(Newsletter.objects.order_by("number").values_list("status", flat=True))
    assert statuses[0] in {"sending", "sent"} and statuses[1] == "draft"


def test_a_participants_subscription_is_in_their_export_and_goes_with_erasure(cast) -> None:
    from tenants.mailings.personal_data import erase_personal_data, export_personal_data
    from tenants.mailings.subscriptions import enrol_consenting_participants
    from tenants.people.services.consents import give_consent

    with tenant_context(cast.a.neighbourhood):
        person = factories.participant("Wim", email="wim@example.org")
        give_consent(participant=person, topic="newsletter", recorded_by=cast.a.broker.user)
        enrol_consenting_participants()
        exported = export_personal_data(person)["newsletter"]
        assert [row["email"] for row in exported] == ["wim@example.org"]
        assert erase_personal_data(person, cast.a.broker.user) == {"newsletter_subscriptions": 1}
        assert not Subscriber.objects.filter(email="wim@example.org").exists()


def test_credits_add_their_offers_only_where_credits_are_on(cast) -> None:
    from django.db import connection
    from django.utils import timezone

    from tenants.credits.newsletter import newsletter_sections

    with tenant_context(cast.a.neighbourhood):
        tenant = connection.tenant
        saved = tenant.credits_enabled
        try:
            tenant.credits_enabled = False
            assert newsletter_sections(timezone.now()) == []
        finally:
            tenant.credits_enabled = saved
