"""The restore drill through the operator's console and API, with real dumps: back up now,
restore as a new neighbourhood (every table's rows equal), bring a deleted one back,
replace a live one only after confirming, and a damaged dump that fails its job and leaves
nothing behind. Jobs run eagerly once their transaction commits, so each request here does
the work; the `committed` fixture (conftest.py) cleans up."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_tenants.utils import schema_exists, tenant_context

from tenants.audit.models import AuditEvent
from tests.support.backups import fingerprint, schemas, without_audit
from tests.support.cast import PLATFORM_HOST, build_place, spec_for
from tests.support.factories import participant, published_ad
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood
from tijdvoorelkaar.operations.models import OperationJob
from tijdvoorelkaar.operations.selectors import dumps_of


@pytest.fixture
def console(committed, operator_client: Client) -> Client:
    operator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return operator_client


def _job(response) -> OperationJob:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.content[:500]
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return OperationJob.objects.get(pk=job_id)


def test_a_copy_restored_from_the_console_holds_every_row_and_the_original_is_untouched(
    console, cast
) -> None:
    # Given a small neighbourhood with its staff and a few participants
    place = build_place("drill-klein", theme="default")
    with tenant_context(place.neighbourhood):
        for name in ("Ans", "Bert", "Cor"):
            participant(name)
    before = fingerprint("nb_drill_klein")
    assert before["people_participant"][0] == 3

    # When the operator backs it up now and restores that backup as a new neighbourhood
    backed_up = _job(console.post("/backups/drill-klein/back-up/"))
    assert backed_up.status == "done", backed_up.error
    [dump] = dumps_of("drill-klein")
    assert backed_up.result == dump.key and dump.matches_code
    listing = console.get("/backups/drill-klein/")
    assert dump.key in listing.content.decode()
    restored = _job(
        console.post(
            f"/backups/drill-klein/{dump.key}/restore/",
            {"mode": "new", "slug": "drill-klein-kopie", "domains": ""},
        )
    )

    # Then the copy has every row (count and checksum) of the original, archived, on no
    # domain; the original is as it was; both logs say what the operator did
    assert restored.status == "done", restored.error
    assert restored.requested_by == cast.operator.user
    copy = Neighbourhood.objects.get(slug="drill-klein-kopie")
    assert copy.status == Neighbourhood.Status.ARCHIVED and not copy.domains.exists()
    assert copy.name == "Drill Klein (drill-klein-kopie)"
    assert without_audit(fingerprint("nb_drill_klein_kopie")) == without_audit(before)
    assert without_audit(fingerprint("nb_drill_klein")) == without_audit(before)
    with tenant_context(copy):
        event = AuditEvent.objects.first()
    assert event.action == "neighbourhood.restored"
    assert event.detail == {"backup": dump.key, "from": "drill-klein", "job": str(restored.pk)}
    with tenant_context(place.neighbourhood):
        assert AuditEvent.objects.first().action == "neighbourhood.backed_up"
    page = console.get(f"/backups/jobs/{restored.pk}/")
    assert b"Open Drill Klein (drill-klein-kopie) in the console" in page.content
    assert Client(HTTP_HOST="drill-klein.test").get("/").status_code == 200
    assert not [name for name in schemas() if name.startswith(("tve_restore_", "tve_replaced_"))]


def test_a_deleted_neighbourhood_is_restored_from_the_console_under_its_own_name(
    console,
) -> None:
    neighbourhood = provision_neighbourhood(spec=spec_for("drill-terug"))
    before = fingerprint("nb_drill_terug")
    delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug="drill-terug")
    [dump] = dumps_of("drill-terug")
    assert dump.is_deletion
    row = next(r for r in console.get("/backups/").context["page"] if r.slug == "drill-terug")
    assert row.neighbourhood is None and row.count == 1

    job = _job(
        console.post(
            f"/backups/drill-terug/{dump.key}/restore/",
            {"mode": "own", "domains": "drill-terug.test"},
        )
    )

    assert job.status == "done", job.error
    back = Neighbourhood.objects.get(slug="drill-terug")
    assert [d.domain for d in back.domains.all()] == ["drill-terug.test"]
    after = fingerprint("nb_drill_terug")
    assert without_audit(after) == without_audit(before)
    # the deletion archived it first, and the restore says so: two events more
    assert after["audit_auditevent"][0] == before["audit_auditevent"][0] + 2


def test_a_live_neighbourhood_is_replaced_only_after_confirming_and_is_backed_up_first(
    console,
) -> None:
    place = build_place("drill-vervang", theme="default")
    [dump_job] = [_job(console.post("/backups/drill-vervang/back-up/"))]
    before = fingerprint("nb_drill_vervang")
    with tenant_context(place.neighbourhood):
        participant("Later")  # written after the backup: the replace loses it
        published_ad(title="Later placed, lost by the replace")
    visitor = Client(HTTP_HOST="drill-vervang.test")
    assert b"Later placed" in visitor.get("/ads/").content  # and now in the list's cache

    asked = console.post(f"/backups/drill-vervang/{dump_job.result}/restore/", {"mode": "own"})
    assert asked["Location"] == f"/backups/drill-vervang/{dump_job.result}/replace/"
    assert OperationJob.objects.filter(kind="restore").count() == 0
    job = _job(console.post(asked["Location"], {"confirm_slug": "drill-vervang"}))

    assert job.status == "done", job.error
    replaced = Neighbourhood.objects.get(slug="drill-vervang")
    assert replaced.pk == place.neighbourhood.pk  # the same registry row, its history kept
    assert without_audit(fingerprint("nb_drill_vervang")) == without_audit(before)
    newest, ours = dumps_of("drill-vervang")  # and the one written just before replacing
    assert ours.key == dump_job.result and newest.written_at > ours.written_at
    assert Client(HTTP_HOST="drill-vervang.test").get("/").status_code == 200
    assert b"Later placed" not in visitor.get("/ads/").content  # no page cached before it
    assert not [name for name in schemas() if name.startswith(("tve_restore_", "tve_replaced_"))]


def test_a_damaged_dump_fails_its_job_with_a_reason_and_leaves_nothing(console) -> None:
    provision_neighbourhood(spec=spec_for("drill-kapot"))
    backed_up = _job(console.post("/backups/drill-kapot/back-up/"))
    folder = dumps_of("drill-kapot")[0].path
    (folder / "schema.dump").write_bytes(b"PGDMP" + b"\x01" * 200)

    job = _job(
        console.post(
            f"/backups/drill-kapot/{backed_up.result}/restore/",
            {"mode": "new", "slug": "drill-kapot-kopie"},
        )
    )

    assert job.status == "failed"
    assert "cannot be read: it is damaged or not a pg_dump file" in job.error
    assert not Neighbourhood.objects.filter(slug="drill-kapot-kopie").exists()
    assert not schema_exists("nb_drill_kapot_kopie")
    assert not [name for name in schemas() if name.startswith(("tve_restore_", "tve_replaced_"))]
    assert b"Failed:" in console.get(f"/backups/jobs/{job.pk}/").content


def test_the_api_backs_up_restores_and_reports_the_job(committed, cast) -> None:
    api = Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=f"Token {cast.operator.token}")
    provision_neighbourhood(spec=spec_for("drill-api"))
    before = fingerprint("nb_drill_api")

    started = api.post("/api/v1/backups/drill-api/")
    assert started.status_code == 202 and started.json()["kind"] == "backup"
    done = api.get(f"/api/v1/operation-jobs/{started.json()['id']}/").json()
    assert done["status"] == "done" and done["live"]["progress"] == 100
    [listed] = api.get("/api/v1/backups/drill-api/").json()["results"]
    assert listed["key"] == done["result"] and listed["matches_code"] is True

    restore = api.post(
        f"/api/v1/backups/drill-api/{listed['key']}/restore/",
        json.dumps({"slug": "drill-api-kopie"}),
        content_type="application/json",
    )
    assert restore.status_code == 202
    job = api.get(f"/api/v1/operation-jobs/{restore.json()['id']}/").json()
    assert job["status"] == "done" and job["result"] == "drill-api-kopie"
    assert without_audit(fingerprint("nb_drill_api_kopie")) == without_audit(before)


@pytest.mark.django_db  # also makes pytest-django create the test database the others use
def test_the_platform_schema_lists_the_backup_endpoints(cast) -> None:
    document = Client(HTTP_HOST=PLATFORM_HOST).get("/api/schema/?format=json").json()
    paths = document["paths"]
    assert {
        "/api/v1/backups/",
        "/api/v1/backups/{slug}/",
        "/api/v1/backups/{slug}/{key}/restore/",
        "/api/v1/operation-jobs/{job_id}/",
    } <= set(paths)
    assert set(paths["/api/v1/backups/{slug}/{key}/restore/"]["post"]["responses"]) == {
        "202", "400", "401", "403", "404"
    }  # fmt: skip
    listed = paths["/api/v1/backups/{slug}/"]["get"]["responses"]["200"]
    assert listed["content"]["application/json"]["schema"]["$ref"].endswith("/PaginatedDumpList")
