"""The broker's participant pages: who may see them, registering with consent and duplicate
checks, the list with search, the timeline page, notes, VOG, held messages, audit."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.mediations.services import start_mediation
from tenants.people.models import Consent, HeldMessage, Note, Participant
from tenants.people.selectors import pending_held_messages
from tenants.people.services.messages import notify_participant
from tenants.people.services.participants import register_participant
from tenants.people.services.records import add_note, record_conduct_certificate

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "display_name": "Gerda",
    "full_name": "Gerda de Vries",
    "email": "",
    "phone": "030-123 45 67",
    "street_address": "Hoograven 12",
    "postal_code": "3525 AB",
    "preferred_language": "nl",
    "heard_via": "postcard",
    "contact_person_name": "Petra de Vries",
    "contact_person_phone": "06 1234 5678",
    "consents": ["registration"],
}


def _english(client):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "en"
    return client


def _pages(participant_id: int) -> list[str]:
    base = f"/broker/participants/{participant_id}/"
    return [
        "/broker/participants/",
        "/broker/participants/new/",
        base,
        base + "edit/",
        base + "profile/",
        base + "export/",
        base + "erase/",
    ]


def test_only_staff_reach_the_participant_pages(cast, enrol, organisation_member) -> None:
    participant = enrol(cast.a, email="ans@example.test")
    clients = {
        200: [cast.a.client(cast.a.broker), cast.a.client(cast.a.admin)],
        403: [cast.a.client(cast.a.resident), cast.a.client(organisation_member(cast.a))],
        302: [cast.a.client()],
    }
    for page in _pages(participant.pk):
        for expected, group in clients.items():
            assert all(c.get(page).status_code == expected for c in group), page
    # A's broker on B's site is nobody there, and B's broker finds no such participant.
    assert cast.b.client().get(_pages(participant.pk)[2]).status_code == 302
    assert cast.b.client(cast.b.broker).get(_pages(participant.pk)[2]).status_code == 404
    for page in _pages(participant.pk)[2:]:
        response = clients[403][0].post(page, {"confirmation": "ERASE"})
        assert response.status_code == 403


def test_a_broker_registers_someone_without_email_with_consent(cast) -> None:
    response = cast.a.client(cast.a.broker).post("/broker/participants/new/", REGISTRATION)
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        participant = Participant.objects.get(full_name="Gerda de Vries")
        assert response["Location"] == f"/broker/participants/{participant.pk}/"
        assert participant.is_offline and participant.phone == "0301234567"
        assert participant.registered_by == cast.a.broker.user
        consent = Consent.objects.get(participant=participant)
        assert (consent.topic, consent.recorded_by, consent.withdrawn_at) == (
            "registration",
            cast.a.broker.user,
            None,
        )
        event = AuditEvent.objects.get(action="participant.registered")
        assert event.target_id == str(participant.pk)
        assert "Gerda" not in str(event.detail)


def test_registration_needs_the_registration_consent(cast) -> None:
    data = {**REGISTRATION, "consents": ["share_contact"]}
    response = _english(cast.a.client(cast.a.broker)).post("/broker/participants/new/", data)
    assert response.status_code == 400
    assert b"storing their details" in response.content
    with tenant_context(cast.a.neighbourhood):
        assert not Participant.objects.filter(full_name="Gerda de Vries").exists()


def test_a_duplicate_is_flagged_with_a_link_and_can_be_confirmed_as_someone_else(
    cast, enrol
) -> None:
    existing = enrol(cast.a, display_name="Gerda V", phone="0301234567")
    client = cast.a.client(cast.a.broker)
    response = client.post("/broker/participants/new/", REGISTRATION)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="/broker/participants/{existing.pk}/"' in page
    assert 'type="checkbox" name="confirm_not_duplicate"' in page
    response = client.post(
        "/broker/participants/new/", {**REGISTRATION, "confirm_not_duplicate": "on"}
    )
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert Participant.objects.filter(phone="0301234567").count() == 2
        assert AuditEvent.objects.filter(
            action="participant.duplicate_confirmed_different"
        ).exists()


def test_editing_checks_duplicates_and_marks_through_broker_only(cast, enrol) -> None:
    enrol(cast.a, display_name="Kees", email="kees@example.test")
    participant = enrol(cast.a, display_name="Ans", email="ans@example.test")
    client = cast.a.client(cast.a.broker)
    data = {
        "display_name": "Ans",
        "email": "KEES@example.test",
        "preferred_language": "nl",
        "through_broker_only": "on",
    }
    url = f"/broker/participants/{participant.pk}/edit/"
    assert client.post(url, data).status_code == 400
    data["email"] = "ans.b@example.test"
    assert client.post(url, data).status_code == 302
    with tenant_context(cast.a.neighbourhood):
        participant.refresh_from_db()
        assert participant.through_broker_only and participant.email == "ans.b@example.test"
        event = AuditEvent.objects.get(action="participant.changed")
        assert event.detail == {"fields": ["email", "through_broker_only"]}


def _many(place, count: int) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        for number in range(count):
            participant = register_participant(
                display_name=f"Buur {number}",
                email=f"buur{number}@example.test",
                consents=["registration"],
            )
            if number % 3 == 0:
                record_conduct_certificate(
                    participant=participant,
                    seen_on=datetime.date(2026, 1, 5),
                    recorded_by=place.broker.user,
                )
                notify_participant(participant=participant, subject="s", body="b", purpose="t")


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # the host lookup is cached now
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_searches_and_keeps_its_query_count(cast, enrol) -> None:
    client = cast.a.client(cast.a.broker)
    _many(cast.a, 20)
    few = _queries(client, "/broker/participants/")
    _many(cast.a, 200)
    many = _queries(client, "/broker/participants/")
    assert many == few
    response = client.get("/broker/participants/", {"q": "buur17@example"})
    assert "Buur 17" in response.content.decode() and "Buur 18" not in response.content.decode()
    enrol(cast.a, display_name="Fatima", phone="06-111 22 333")
    assert "Fatima" in client.get("/broker/participants/", {"q": "0611122"}).content.decode()
    second = client.get("/broker/participants/", {"page": 2}).content.decode()
    assert "?page=3" in second
    with tenant_context(cast.a.neighbourhood):
        assert AuditEvent.objects.filter(action="participant_list.viewed").count() >= 4


def _fill_timeline(place, participant: Participant, count: int) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        for number in range(count):
            add_note(participant=participant, author=place.broker.user, text=f"Gebeld {number}")
            other = register_participant(display_name=f"Hulp {number}")
            start_mediation(
                requester=participant, provider=other, active=True, created_by=place.broker.user
            )
            record_conduct_certificate(
                participant=participant,
                seen_on=timezone.localdate() - datetime.timedelta(days=number),
                recorded_by=place.broker.user,
            )


def test_the_participant_page_is_an_audited_timeline_with_a_fixed_query_count(cast, enrol) -> None:
    participant = enrol(cast.a, display_name="Ans", email="ans@example.test")
    client = _english(cast.a.client(cast.a.broker))
    url = f"/broker/participants/{participant.pk}/"
    _fill_timeline(cast.a, participant, 2)
    few = _queries(client, url)
    _fill_timeline(cast.a, participant, 20)
    assert _queries(client, url) == few
    assert few <= 5  # user and device (3 with the schema), the page with its participant, audit
    assert client.get(f"/broker/participants/{participant.pk + 10_000}/").status_code == 404
    page = client.get(url).content.decode()
    assert "Gebeld 19" in page and "Hulp 19" in page and "ans@example.test" in page
    assert "Registered by a broker" in page and "Valid" in page
    with tenant_context(cast.a.neighbourhood):
        viewed = AuditEvent.objects.filter(
            action="participant.viewed", target_id=str(participant.pk)
        )
        notes = AuditEvent.objects.filter(action="notes.viewed", target_id=str(participant.pk))
        assert viewed.count() == 5 and notes.count() == 5  # warm-ups included
        assert len(notes.first().detail["notes"]) == 22
    # The admin reads it on the audit page.
    assert (
        "participant.viewed" in cast.a.client(cast.a.admin).get("/manage/audit/").content.decode()
    )


def test_an_expired_certificate_shows_as_expired(cast, enrol) -> None:
    participant = enrol(cast.a)
    with tenant_context(cast.a.neighbourhood):
        record_conduct_certificate(
            participant=participant,
            seen_on=datetime.date(2020, 3, 1),
            valid_until=datetime.date(2023, 3, 1),
            recorded_by=cast.a.broker.user,
        )
    page = _english(cast.a.client(cast.a.broker)).get(f"/broker/participants/{participant.pk}/")
    assert "<strong>Expired</strong>" in page.content.decode()


def test_recording_a_certificate_on_the_page(cast, enrol) -> None:
    participant = enrol(cast.a)
    client = cast.a.client(cast.a.broker)
    url = f"/broker/participants/{participant.pk}/certificates/"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert client.post(url, {"seen_on": tomorrow.isoformat()}).status_code == 400
    assert client.post(url, {"seen_on": "2026-01-10"}).status_code == 302
    with tenant_context(cast.a.neighbourhood):
        certificate = participant.conduct_certificates.get()
        assert certificate.valid_until == datetime.date(2029, 1, 10)


def test_notes_are_added_edited_and_every_read_and_change_is_audited(cast, enrol) -> None:
    participant = enrol(cast.a)
    client = cast.a.client(cast.a.broker)
    base = f"/broker/participants/{participant.pk}/"
    assert client.post(base + "notes/", {"text": "  "}).status_code == 400
    added = client.post(base + "notes/", {"text": "Wil graag wandelen"})
    assert added.status_code == 302
    assert added["Location"] == base + "#notes-heading"  # back at the notes, not the top
    with tenant_context(cast.a.neighbourhood):
        note = Note.objects.get(participant=participant)
    assert "Wil graag wandelen" in client.get(base + f"notes/{note.pk}/").content.decode()
    assert (
        client.post(base + f"notes/{note.pk}/", {"text": "Wil wandelen, dinsdag"}).status_code
        == 302
    )
    other = enrol(cast.a, display_name="Kees")
    assert client.get(f"/broker/participants/{other.pk}/notes/{note.pk}/").status_code == 404
    with tenant_context(cast.a.neighbourhood):
        note.refresh_from_db()
        assert note.text == "Wil wandelen, dinsdag" and note.edited_at is not None
        actions = list(
            AuditEvent.objects.filter(target_id=str(participant.pk))
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions[-3:] == ["note.added", "notes.viewed", "note.edited"]
        assert all("wandelen" not in str(e.detail) for e in AuditEvent.objects.all())


def test_held_messages_are_shown_and_passed_on(cast, enrol) -> None:
    participant = enrol(cast.a, display_name="Truus", phone="0307654321")
    with tenant_context(cast.a.neighbourhood):
        held = notify_participant(
            participant=participant, subject="Reactie op uw vraag", body="Bel Kees", purpose="t"
        )
        assert list(pending_held_messages()) == [held]
    client = cast.a.client(cast.a.broker)
    url = f"/broker/participants/{participant.pk}/"
    page = client.get(url).content.decode()
    # the button names the action as the dashboard does
    assert "Reactie op uw vraag" in page and ">Markeren als doorgegeven<span" in page
    assert client.post(url + f"held/{held.pk}/").status_code == 302
    with tenant_context(cast.a.neighbourhood):
        held.refresh_from_db()
        assert held.handled_by == cast.a.broker.user and held.handled_at is not None
        assert not pending_held_messages().exists()
        assert HeldMessage.objects.count() == 1
    assert "Reactie op uw vraag" not in client.get(url).content.decode()


def test_consents_are_given_and_withdrawn_on_the_page(cast, enrol) -> None:
    participant = enrol(cast.a)
    client = cast.a.client(cast.a.broker)
    url = f"/broker/participants/{participant.pk}/consents/"
    assert client.post(url, {"topic": "self_reported", "action": "give"}).status_code == 302
    # Withdrawing deletes their answers: the page asks once more, and nothing changes yet
    asked = client.post(url, {"topic": "self_reported", "action": "withdraw"})
    assert asked.status_code == 200 and "tellen niet meer mee in de jaarcijfers" in (
        text := asked.content.decode()
    )
    assert '<input type="hidden" name="confirmed" value="on">' in text
    assert f'href="/broker/participants/{participant.pk}/#consent-heading">Annuleren<' in text
    with tenant_context(cast.a.neighbourhood):
        assert participant.consents.get(topic="self_reported").withdrawn_at is None
    confirmed = {"topic": "self_reported", "action": "withdraw", "confirmed": "on"}
    assert client.post(url, confirmed).status_code == 302
    with tenant_context(cast.a.neighbourhood):
        consent = participant.consents.get(topic="self_reported")
        assert consent.withdrawn_at is not None and consent.recorded_by == cast.a.broker.user
    # Sharing contact details has no such consequence: one click
    assert client.post(url, {"topic": "share_contact", "action": "give"}).status_code == 302
    assert client.post(url, {"topic": "share_contact", "action": "withdraw"}).status_code == 302


def test_withdrawing_the_registration_consent_asks_first_and_points_to_erasure(cast, enrol) -> None:
    participant = enrol(cast.a)  # registered with consent
    client = cast.a.client(cast.a.broker)
    url = f"/broker/participants/{participant.pk}/consents/"
    asked = client.post(url, {"topic": "registration", "action": "withdraw"}).content.decode()
    assert "met “Wissen op verzoek” op de pagina" in asked
    with tenant_context(cast.a.neighbourhood):
        assert participant.consents.get(topic="registration").withdrawn_at is None
    done = client.post(url, {"topic": "registration", "action": "withdraw", "confirmed": "on"})
    assert done["Location"].endswith("#consent-heading")
    page = client.get(done["Location"]).content.decode()
    assert "Intrekking vastgelegd." in page and "wis ze met “Wissen op verzoek”" in page
    with tenant_context(cast.a.neighbourhood):
        assert participant.consents.get(topic="registration").withdrawn_at is not None


def test_the_participant_page_leads_to_the_work_and_its_ads_to_their_page(cast, enrol) -> None:
    from tenants.market.models import Category
    from tenants.market.services.ads import place_ad

    participant = enrol(cast.a, display_name="Wim", phone="0611")
    with tenant_context(cast.a.neighbourhood):
        ad = place_ad(
            participant=participant,
            kind="request",
            title="Hulp met de computer",
            body="Wie kan mij helpen met e-mail?",
            category=Category.objects.first(),
            placed_by_broker=cast.a.broker.user,
        )
    client = cast.a.client(cast.a.broker)
    page = client.get(f"/broker/participants/{participant.pk}/").content.decode()
    pk = participant.pk
    for link in (
        f"/broker/participants/{pk}/ads/new/",
        f"/broker/participants/{pk}/conversations/new/",
        f"/broker/mediations/new/?requester={pk}",
        f"/broker/mediations/suggest/?participant={pk}",
        f"/broker/referrals/new/in/?participant={pk}",
        f"/broker/referrals/new/out/?participant={pk}",
        f"/broker/ads/{ad.pk}/edit/",  # the ad's entry on the timeline
    ):
        assert f'href="{link}"' in page, link
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link
