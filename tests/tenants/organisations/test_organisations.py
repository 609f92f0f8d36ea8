"""The social map: the broker's organisation pages and endpoints."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.mediations.services import record_placement
from tenants.organisations.models import Organisation
from tenants.organisations.services import add_organisation_member, create_organisation
from tenants.people.services.participants import register_participant
from tests.support.cast import Member, client_for
from tests.support.factories import broker_ad, organisation_member, participant
from tijdvoorelkaar.accounts.models import User

pytestmark = pytest.mark.django_db

PAGES = ["/broker/organisations/", "/broker/organisations/new/"]


def _organisation(place, name="Basisschool De Regenboog", **fields):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return create_organisation(by=place.broker.user, name=name, **fields)


def _organisation_member(place) -> Member:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return organisation_member(f"org-{User.objects.count()}@{place.host}", "")


def test_residents_and_organisation_accounts_get_none_of_the_broker_pages(cast) -> None:
    organisation = _organisation(cast.a)
    org_account = _organisation_member(cast.a)
    for page in [*PAGES, f"/broker/organisations/{organisation.pk}/"]:
        assert cast.a.client(cast.a.broker).get(page).status_code == 200
        assert cast.a.client(cast.a.admin).get(page).status_code == 200
        assert cast.a.client(cast.a.resident).get(page).status_code == 403
        assert cast.a.client(org_account).get(page).status_code == 403
        assert cast.a.client().get(page).status_code == 302
    post = cast.a.client(cast.a.resident).post("/broker/organisations/new/", {"name": "X"})
    assert post.status_code == 403


def test_a_broker_of_b_gets_nothing_of_a(cast) -> None:
    organisation = _organisation(cast.a, contact_name="Ans Vermeer")
    broker_b = cast.b.client(cast.b.broker)
    assert broker_b.get(f"/broker/organisations/{organisation.pk}/").status_code == 404
    assert b"Ans Vermeer" not in broker_b.get("/broker/organisations/").content
    api = client_for(cast.b.host).get(
        f"/api/v1/organisations/{organisation.pk}/",
        HTTP_AUTHORIZATION=f"Token {cast.b.broker.token}",
    )
    assert api.status_code == 404


def test_a_broker_adds_edits_and_deactivates_an_organisation(cast) -> None:
    client = cast.a.client(cast.a.broker)
    created = client.post(
        "/broker/organisations/new/",
        {"name": "Scouting Lunetten", "kind": "club", "contact_name": "Joke", "contact_email": ""},
    )
    assert created.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        organisation = Organisation.objects.get(name="Scouting Lunetten")
    same_name = client.post(
        "/broker/organisations/new/", {"name": "scouting lunetten", "kind": "club"}
    )
    assert same_name.status_code == 400 and b'id="id_name_errors"' in same_name.content
    bad = client.post(
        f"/broker/organisations/{organisation.pk}/edit/",
        {"name": "Scouting Lunetten", "kind": "club", "contact_email": "not-an-address"},
    )
    assert bad.status_code == 400 and b'aria-invalid="true"' in bad.content
    edited = client.post(
        f"/broker/organisations/{organisation.pk}/edit/",
        {"name": "Scouting Lunetten", "kind": "club", "contact_phone": "030 123 45 67"},
    )
    assert edited.status_code == 302
    client.post(f"/broker/organisations/{organisation.pk}/active/", {"active": "0"})
    with tenant_context(cast.a.neighbourhood):
        organisation.refresh_from_db()
        assert organisation.contact_phone == "030 123 45 67" and not organisation.is_active
        changed = AuditEvent.objects.get(action="organisation.changed")
        assert set(changed.detail["fields"]) == {"contact_name", "contact_phone"}
        assert AuditEvent.objects.filter(action="organisation.deactivated").exists()
    listed = client.get("/broker/organisations/").content.decode()
    assert "Scouting Lunetten" not in listed
    assert "Scouting Lunetten" in client.get("/broker/organisations/?inactive=on").content.decode()


def test_the_list_searches_and_filters_by_kind(cast) -> None:
    _organisation(cast.a, name="Zorgcentrum De Linde", kind="care")
    _organisation(cast.a, name="Moskee Hoograven", kind="faith", contact_name="Yusuf")
    client = cast.a.client(cast.a.broker)
    care = client.get("/broker/organisations/?kind=care").content.decode()
    assert "De Linde" in care and "Moskee" not in care
    found = client.get("/broker/organisations/?q=yusuf").content.decode()
    assert "Moskee Hoograven" in found and "De Linde" not in found


def test_the_detail_page_shows_members_and_audits_the_read(cast) -> None:
    organisation = _organisation(
        cast.a, contact_name="Ans Vermeer", contact_email="ans@school.test"
    )
    with tenant_context(cast.a.neighbourhood):
        anna = register_participant(display_name="Anna", full_name="Anna de Vries")
        register_participant(display_name="Bert")
    client = cast.a.client(cast.a.broker)
    search = client.get(f"/broker/organisations/{organisation.pk}/?member_q=vries")
    page = search.content.decode()
    assert "ans@school.test" in page and "Bert" not in page
    assert f'name="participant" value="{anna.pk}"' in page
    added = client.post(
        f"/broker/organisations/{organisation.pk}/members/", {"participant": anna.pk}
    )
    assert added.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert list(organisation.members.all()) == [anna]
        event = AuditEvent.objects.filter(action="organisation.viewed").first()
        assert event.target_id == str(organisation.pk) and event.actor == cast.a.broker.user
        assert AuditEvent.objects.get(action="organisation.member_added").detail == {
            "participant": anna.pk
        }
    client.post(f"/broker/organisations/{organisation.pk}/members/{anna.pk}/remove/")
    with tenant_context(cast.a.neighbourhood):
        assert not organisation.members.exists()


def _list_queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_page_and_the_list_show_the_vacancies_and_placements_other_apps_keep(cast) -> None:
    # Given an organisation with a vacancy (the marketplace's) and a placement (mediations')
    organisation = _organisation(cast.a, name="Buurthuis De Pijler")
    with tenant_context(cast.a.neighbourhood):
        mila = participant("Mila", email="mila@example.org")
        add_organisation_member(organisation=organisation, participant=mila, by=None)
        vacancy = broker_ad(
            mila, "vacancy", "Gastvrouw gezocht", "Koffie schenken.", organisation=organisation
        )
        broker_ad(mila, "offer", "Ik help met de tuin", "Snoeien.")  # no vacancy: not counted
        record_placement(
            participant=participant("Vera"), organisation=organisation, vacancy=vacancy, by=None
        )
    # When the broker opens its page, and asks the API for the list
    page = cast.a.client(cast.a.broker).get(f"/broker/organisations/{organisation.pk}/")
    listed = client_for(cast.a.host).get(
        "/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}"
    )
    # Then the page names both, and the list counts the one vacancy
    assert "Gastvrouw gezocht" in page.content.decode() and "Vera" in page.content.decode()
    (row,) = [row for row in listed.json()["results"] if row["id"] == organisation.pk]
    assert row["vacancy_count"] == 1 and row["member_count"] == 1


def test_the_list_takes_the_same_number_of_queries_for_few_and_many(cast) -> None:
    client = cast.a.client(cast.a.broker)
    _organisation(cast.a, name="Org 0")
    client.get("/broker/organisations/")  # the host lookup is cached now
    few = _list_queries(client, "/broker/organisations/")
    api_auth = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    api_client = client_for(cast.a.host)
    api_client.get("/api/v1/organisations/", **api_auth)
    with CaptureQueriesContext(connection) as api_few:
        api_client.get("/api/v1/organisations/", **api_auth)
    with tenant_context(cast.a.neighbourhood):
        people = [register_participant(display_name=f"P{i}") for i in range(3)]
        for i in range(1, 12):
            organisation = create_organisation(by=cast.a.broker.user, name=f"Org {i}")
            for person in people:
                add_organisation_member(organisation=organisation, participant=person, by=None)
    assert _list_queries(client, "/broker/organisations/") == few
    with CaptureQueriesContext(connection) as api_many:
        response = api_client.get("/api/v1/organisations/", **api_auth)
    assert response.json()["count"] == 12 and len(api_many) == len(api_few)


def test_the_api_creates_changes_and_manages_members(cast) -> None:
    client = client_for(cast.a.host)
    broker = {"HTTP_AUTHORIZATION": f"Token {cast.a.broker.token}"}
    created = client.post(
        "/api/v1/organisations/",
        {"name": "Buurthuis De Pijler", "kind": "community", "contact_name": "Mieke"},
        content_type="application/json",
        **broker,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    twice = client.post("/api/v1/organisations/", {"name": "buurthuis de pijler"}, **broker)
    assert twice.status_code == 400 and "name" in twice.json()
    changed = client.patch(
        f"/api/v1/organisations/{pk}/",
        {"is_active": False, "contact_phone": "06 12345678"},
        content_type="application/json",
        **broker,
    )
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    assert client.get("/api/v1/organisations/", **broker).json()["count"] == 0
    with tenant_context(cast.a.neighbourhood):
        person = register_participant(display_name="Cor")
    refused = client.post(
        f"/api/v1/organisations/{pk}/members/", {"participant": person.pk}, **broker
    )
    assert refused.status_code == 400  # not active
    client.patch(
        f"/api/v1/organisations/{pk}/",
        {"is_active": True},
        content_type="application/json",
        **broker,
    )
    added = client.post(
        f"/api/v1/organisations/{pk}/members/", {"participant": person.pk}, **broker
    )
    assert added.status_code == 204
    detail = client.get(f"/api/v1/organisations/{pk}/", **broker).json()
    assert detail["members"] == [{"id": person.pk, "display_name": "Cor"}]
    removed = client.post(
        f"/api/v1/organisations/{pk}/remove-member/", {"participant": person.pk}, **broker
    )
    assert removed.status_code == 204
    for member in (cast.a.resident,):
        denied = client.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {member.token}")
        assert denied.status_code == 403


def test_the_next_page_keeps_the_search(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        for i in range(30):
            create_organisation(by=None, name=f"Buurthuis {i:02}")
        create_organisation(by=None, name="Voedselbank")
    client = cast.a.client(cast.a.broker)
    first = client.get("/broker/organisations/", {"q": "Buurthuis"}).content.decode()
    assert 'href="?q=Buurthuis&amp;page=2"' in first  # not "?page=2", which drops the search
    second = client.get("/broker/organisations/", {"q": "Buurthuis", "page": 2}).content.decode()
    assert "Voedselbank" not in second and 'href="?q=Buurthuis&amp;page=1"' in second


def test_contact_details_shown_by_the_edit_page_and_the_api_list_are_audited(cast) -> None:
    organisation = _organisation(cast.a, contact_email="info@buurthuis.test")
    client = cast.a.client(cast.a.broker)
    assert (
        "info@buurthuis.test"
        in client.get(f"/broker/organisations/{organisation.pk}/edit/").content.decode()
    )
    api = client_for(cast.a.host)
    listed = api.get(
        "/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}"
    ).json()
    assert listed["results"][0]["contact_email"] == "info@buurthuis.test"
    with tenant_context(cast.a.neighbourhood):
        edit = AuditEvent.objects.get(action="organisation.viewed")
        assert edit.target_id == str(organisation.pk) and edit.detail == {"page": "edit"}
        event = AuditEvent.objects.get(action="organisation_list.viewed")
        assert event.detail == {"api": True, "ids": [organisation.pk]}
        assert "buurthuis" not in str(event.detail)
