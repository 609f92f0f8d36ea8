"""Referrals in and on, and group visits: pages, endpoints, audit, rules, timeline."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.organisations.services import create_organisation
from tenants.people.services.participants import register_participant
from tenants.people.timeline import timeline_for
from tenants.referrals import timeline
from tenants.referrals.models import GroupVisit, Referral
from tenants.referrals.services import record_group_visit, record_referral
from tests.support.cast import PASSWORD, Member, client_for
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.contributions import hooks

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _person(place, name="Anna"):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return register_participant(display_name=name, registered_by=place.broker.user)


def _referral_in(place, person):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return record_referral(
            direction="in",
            participant=person,
            referred_on=TODAY(),
            institution="Huisartsenpraktijk Lunetten",
            referrer_name="Dr. Bakker",
            referrer_role="huisarts",
            reason="Weinig contacten sinds verhuizing",
            category="loneliness",
            by=place.broker.user,
        )


def test_only_staff_of_this_neighbourhood_reach_referrals(cast) -> None:
    referral = _referral_in(cast.a, _person(cast.a))
    with tenant_context(cast.a.neighbourhood):
        org_user = User.objects.create_user("org@wijk-a.test", PASSWORD, role=Role.ORGANISATION)
    pages = [
        "/broker/referrals/",
        "/broker/referrals/new/in/",
        "/broker/referrals/new/out/",
        f"/broker/referrals/{referral.pk}/",
        f"/broker/referrals/{referral.pk}/edit/",
        "/broker/group-visits/",
        "/broker/group-visits/new/",
    ]
    for page in pages:
        assert cast.a.client(cast.a.broker).get(page).status_code == 200, page
        assert cast.a.client(cast.a.resident).get(page).status_code == 403
        assert cast.a.client(Member(org_user, "")).get(page).status_code == 403
    assert cast.b.client(cast.b.broker).get(f"/broker/referrals/{referral.pk}/").status_code == 404
    # the form names where "through the broker only" is lifted: Edit details
    form = cast.a.client(cast.a.broker).get("/broker/referrals/new/in/").content.decode()
    assert "via “Gegevens bewerken” op de pagina van de deelnemer" in form
    api = client_for(cast.a.host)
    for path in ("/api/v1/referrals/", "/api/v1/group-visits/"):
        resident = api.get(path, HTTP_AUTHORIZATION=f"Token {cast.a.resident.token}")
        assert resident.status_code == 403
    other = client_for(cast.b.host).get(
        f"/api/v1/referrals/{referral.pk}/", HTTP_AUTHORIZATION=f"Token {cast.b.broker.token}"
    )
    assert other.status_code == 404


def test_every_read_and_change_of_a_referral_is_audited_with_ids_only(cast) -> None:
    person = _person(cast.a)
    client = cast.a.client(cast.a.broker)
    created = client.post(
        "/broker/referrals/new/in/",
        {
            "participant": person.pk,
            "referred_on": TODAY().isoformat(),
            "institution": "GGZ Centraal",
            "referrer_role": "wijkverpleegkundige",
            "reason": "Zoekt dagbesteding",
            "category": "health",
        },
    )
    assert created.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        referral = Referral.objects.get()
    client.get("/broker/referrals/")
    client.get(f"/broker/referrals/{referral.pk}/")
    client.get(f"/broker/referrals/{referral.pk}/edit/")
    edited = client.post(
        f"/broker/referrals/{referral.pk}/edit/",
        {
            "participant": person.pk,
            "referred_on": TODAY().isoformat(),
            "institution": "GGZ Centraal",
            "reason": "Zoekt vrijwilligerswerk",
            "category": "work",
        },
    )
    assert edited.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        events = list(AuditEvent.objects.order_by("id").values_list("action", "detail"))
    actions = [action for action, _ in events if action.startswith("referral")]
    assert actions == [
        "referral.recorded",
        "referral_list.viewed",
        "referral.viewed",
        "referral.viewed",
        "referral.changed",
    ]
    details = str([detail for _, detail in events])
    assert "GGZ" not in details and "dagbesteding" not in details
    assert dict(events)["referral.changed"] == {"fields": ["category", "reason", "referrer_role"]}


def test_a_referral_on_names_a_service_and_the_rules_hold(cast) -> None:
    person = _person(cast.a)
    client = cast.a.client(cast.a.broker)
    missing = client.post(
        "/broker/referrals/new/out/",
        {"participant": person.pk, "referred_on": TODAY().isoformat(), "reason": "Schulden"},
    )
    assert missing.status_code == 400 and b'id="id_service_errors"' in missing.content
    future = client.post(
        "/broker/referrals/new/out/",
        {
            "participant": person.pk,
            "referred_on": (TODAY() + datetime.timedelta(days=1)).isoformat(),
            "service": "debt_help",
            "reason": "Schulden",
        },
    )
    assert future.status_code == 400 and b'id="id_referred_on_errors"' in future.content
    with tenant_context(cast.a.neighbourhood):
        with pytest.raises(ValidationError) as error:
            record_referral(
                direction="in",
                participant=person,
                referred_on=TODAY(),
                reason="x",
                by=cast.a.broker.user,
            )
        assert "institution" in error.value.message_dict


def test_the_referral_api_lists_creates_and_changes_with_audit(cast) -> None:
    person = _person(cast.a)
    client = client_for(cast.a.host)
    auth = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    created = client.post(
        "/api/v1/referrals/",
        {
            "direction": "out",
            "participant": person.pk,
            "referred_on": TODAY().isoformat(),
            "service": "course",
            "service_name": "Taalcursus",
            "reason": "Wil beter Nederlands leren",
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = client.post(
        "/api/v1/referrals/",
        {"direction": "in", "participant": person.pk, "referred_on": "2020-01-01", "reason": "x"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and "institution" in bad.json()
    listed = client.get("/api/v1/referrals/?direction=out", **auth).json()
    assert [row["id"] for row in listed["results"]] == [pk]
    assert client.get("/api/v1/referrals/?direction=in", **auth).json()["count"] == 0
    changed = client.patch(
        f"/api/v1/referrals/{pk}/",
        {"reason": "Taal", "direction": "in"},
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 200
    assert changed.json()["reason"] == "Taal" and changed.json()["direction"] == "out"
    client.get(f"/api/v1/referrals/{pk}/", **auth)
    with tenant_context(cast.a.neighbourhood):
        actions = list(
            AuditEvent.objects.filter(action__startswith="referral")
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert actions == [
        "referral.recorded",
        "referral_list.viewed",
        "referral_list.viewed",
        "referral.changed",
        "referral.viewed",
    ]


def test_group_visits_refuse_more_joined_than_reached_and_future_dates(cast) -> None:
    people = [_person(cast.a, f"P{i}") for i in range(3)]
    client = cast.a.client(cast.a.broker)
    too_many = client.post(
        "/broker/group-visits/new/",
        {
            "visited_on": TODAY().isoformat(),
            "group_name": "Koffieochtend",
            "reached": 2,
            "joined": [p.pk for p in people],
        },
    )
    assert too_many.status_code == 400 and b'id="id_joined_errors"' in too_many.content
    future = client.post(
        "/broker/group-visits/new/",
        {
            "visited_on": (TODAY() + datetime.timedelta(days=3)).isoformat(),
            "group_name": "Koffieochtend",
            "reached": 5,
        },
    )
    assert future.status_code == 400 and b'id="id_visited_on_errors"' in future.content
    nameless = client.post(
        "/broker/group-visits/new/", {"visited_on": TODAY().isoformat(), "reached": 5}
    )
    assert nameless.status_code == 400
    ok = client.post(
        "/broker/group-visits/new/",
        {
            "visited_on": TODAY().isoformat(),
            "group_name": "Koffieochtend",
            "reached": 12,
            "joined": [people[0].pk, people[1].pk],
        },
    )
    assert ok.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        visit = GroupVisit.objects.get()
        assert visit.joined.count() == 2
    listed = client.get("/broker/group-visits/").content.decode()
    assert "Koffieochtend" in listed
    edited = client.post(
        f"/broker/group-visits/{visit.pk}/",
        {"visited_on": TODAY().isoformat(), "group_name": "Koffieochtend", "reached": 1},
    )
    assert edited.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert not visit.joined.exists()


def test_a_group_visits_note_is_taken_up_to_its_length_in_any_characters(cast) -> None:
    # The column is bounded (stored in the row, docs/adr/0013): one character more is the
    # field's error on the page and a 400 naming it in the API, never a database error.
    wide = "\U0001f600"  # 4 bytes in UTF-8
    visit = {"visited_on": TODAY().isoformat(), "group_name": wide * 120, "reached": 3}
    page = cast.a.client(cast.a.broker).post(
        "/broker/group-visits/new/", {**visit, "note": wide * 1001}
    )
    assert page.status_code == 400 and b'id="id_note_errors"' in page.content
    api = client_for(cast.a.host)
    auth = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    too_long = api.post(
        "/api/v1/group-visits/",
        {**visit, "note": wide * 1001},
        content_type="application/json",
        **auth,
    )
    assert too_long.status_code == 400 and "note" in too_long.json()
    full = api.post(
        "/api/v1/group-visits/",
        {**visit, "note": wide * 1000},
        content_type="application/json",
        **auth,
    )
    assert full.status_code == 201, full.content
    with tenant_context(cast.a.neighbourhood):
        assert GroupVisit.objects.get().note == wide * 1000


def test_the_group_visit_api_and_its_list_queries(cast) -> None:
    client = client_for(cast.a.host)
    auth = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    with tenant_context(cast.a.neighbourhood):
        school = create_organisation(by=None, name="Basisschool De Kameleon", kind="school")
    person = _person(cast.a)
    created = client.post(
        "/api/v1/group-visits/",
        {
            "visited_on": TODAY().isoformat(),
            "organisation": school.pk,
            "reached": 20,
            "joined": [person.pk],
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    too_many = client.patch(
        f"/api/v1/group-visits/{created.json()['id']}/",
        {"reached": 0},
        content_type="application/json",
        **auth,
    )
    assert too_many.status_code == 400 and "joined" in too_many.json()
    broker = cast.a.client(cast.a.broker)
    broker.get("/broker/group-visits/")
    with CaptureQueriesContext(connection) as few:
        broker.get("/broker/group-visits/")
    with CaptureQueriesContext(connection) as api_few:
        client.get("/api/v1/group-visits/", **auth)
    with tenant_context(cast.a.neighbourhood):
        people = [register_participant(display_name=f"Q{i}") for i in range(4)]
        for i in range(8):
            record_group_visit(
                visited_on=TODAY(),
                organisation=school if i % 2 else None,
                group_name=f"Groep {i}",
                reached=10,
                joined=people,
                by=None,
            )
    with CaptureQueriesContext(connection) as many:
        broker.get("/broker/group-visits/")
    with CaptureQueriesContext(connection) as api_many:
        client.get("/api/v1/group-visits/", **auth)
    assert len(many) == len(few) and len(api_many) == len(api_few)
    _referral_in(cast.a, people[0])  # an empty page takes no query for its rows
    with CaptureQueriesContext(connection) as referral_list_few:
        broker.get("/broker/referrals/")
    for person in people:
        _referral_in(cast.a, person)
    with CaptureQueriesContext(connection) as referral_list_many:
        broker.get("/broker/referrals/")
    assert len(referral_list_many) == len(referral_list_few)


def test_the_timeline_shows_referrals_and_group_visits_in_two_queries(cast, monkeypatch) -> None:
    person = _person(cast.a)
    _referral_in(cast.a, person)
    with tenant_context(cast.a.neighbourhood):
        record_group_visit(
            visited_on=TODAY() - datetime.timedelta(days=2),
            group_name="Ouderavond",
            reached=30,
            joined=[person],
            by=None,
        )
        with CaptureQueriesContext(connection) as queries:
            entries = timeline.TIMELINE.entries_for(person)
        assert len(queries) == 1  # referrals and group visits in one statement
        assert [entry.kind for entry in entries] == ["referral", "group_visit"]
        assert entries[0].url == f"/broker/referrals/{Referral.objects.get().pk}/"
        # Only this app's entries: the other apps' timelines are not this test's subject.
        monkeypatch.setattr(
            "tenants.people.timeline.hooks", lambda kind: hooks(kind, ["tenants.referrals"])
        )
        assert [entry.kind for entry in timeline_for(person)] == ["referral", "group_visit"]


def test_someone_referred_in_is_matched_only_through_the_broker(cast) -> None:
    person, other = _person(cast.a, "Henk"), _person(cast.a, "Kees")
    assert not person.through_broker_only
    _referral_in(cast.a, person)
    _referral_in(cast.a, person)  # a second referral changes nothing more
    with tenant_context(cast.a.neighbourhood):
        record_referral(
            direction="out",
            participant=other,
            referred_on=TODAY(),
            service="debt_help",
            reason="Schulden",
            by=cast.a.broker.user,
        )
        person.refresh_from_db()
        other.refresh_from_db()
        assert person.through_broker_only and not other.through_broker_only
        marked = AuditEvent.objects.filter(action="participant.through_broker_only")
        assert list(marked.values_list("target_id", "detail")) == [
            (str(person.pk), {"why": "referral_in"})
        ]
