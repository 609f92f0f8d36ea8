"""The backup and restore API without a real dump: operators only, what it lists, and every
refusal answered 4xx with a reason before any work starts. Real dumps and restores through the
API: test_restore_console.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from tests.support.backups import write_backup
from tests.support.cast import PLATFORM_HOST, client_for
from tijdvoorelkaar.operations.models import OperationJob

pytestmark = pytest.mark.django_db

STAMP = "20261201-023000-000000"
RESTORE = f"/api/v1/backups/wijk-a/{STAMP}/restore/"


@pytest.fixture
def backups(settings, tmp_path, cast) -> Path:  # type: ignore[no-untyped-def]
    settings.BACKUP_DIR = tmp_path
    OperationJob.objects.all().delete()  # committed by browser tests; rolled back here
    write_backup(tmp_path, "wijk-a", STAMP)
    write_backup(tmp_path, "oud-west", STAMP, state="older-code")
    return tmp_path


@pytest.fixture
def api(cast) -> Client:  # type: ignore[no-untyped-def]
    return Client(
        HTTP_HOST=PLATFORM_HOST,
        HTTP_AUTHORIZATION=f"Token {cast.operator.token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _post(client: Client, path: str, body: object | None = None):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/backups/"),
        ("get", "/api/v1/backups/wijk-a/"),
        ("post", "/api/v1/backups/wijk-a/"),
        ("post", RESTORE),
        ("get", "/api/v1/operation-jobs/2b7f1c7e-4f7e-4c1e-9a55-5d8f0a1e6a11/"),
    ],
)
def test_anonymous_callers_and_neighbourhood_admins_are_refused(
    backups, cast, method: str, path: str
) -> None:
    anonymous = getattr(Client(HTTP_HOST=PLATFORM_HOST), method)(path)
    assert anonymous.status_code == 401
    token = Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=f"Token {cast.a.admin.token}")
    assert getattr(token, method)(path).status_code == 401  # tokens live in their schema
    session = client_for(cast.a.host, cast.a.neighbourhood, cast.a.admin).cookies["sessionid"]
    by_session = Client(HTTP_HOST=PLATFORM_HOST)
    by_session.cookies["sessionid"] = session.value
    assert getattr(by_session, method)(path).status_code in (401, 403)
    assert b"wijk-a.test" not in anonymous.content
    assert not OperationJob.objects.exists()


def test_the_operator_lists_neighbourhoods_and_their_backups(backups, api) -> None:
    listed = {row["slug"]: row for row in api.get("/api/v1/backups/").json()["results"]}
    assert listed["wijk-a"] == {
        "slug": "wijk-a",
        "name": "Wijk A",
        "status": "active",
        "backups": 1,
        "newest": "2026-12-01T02:30:00+01:00",
    }
    assert listed["oud-west"]["status"] == "deleted" and listed["wijk-b"]["backups"] == 0
    [dump] = api.get("/api/v1/backups/oud-west/").json()["results"]
    assert dump["key"] == STAMP and dump["kind"] == "backup"
    assert dump["matches_code"] is False and dump["migration_state"] == "older-code"


def test_starting_a_backup_answers_202_with_the_job(backups, api, cast) -> None:
    response = _post(api, "/api/v1/backups/wijk-a/")
    assert response.status_code == 202
    body = response.json()
    assert body["kind"] == "backup" and body["status"] == "queued"
    job = OperationJob.objects.get(pk=body["id"])
    assert job.requested_by == cast.operator.user
    assert api.get(f"/api/v1/operation-jobs/{job.pk}/").json()["status"] == "queued"


@pytest.mark.parametrize(
    ("path", "body", "status", "field", "reason"),
    [
        (RESTORE, {}, 400, "slug", "A neighbourhood wijk-a exists: restore under another name."),
        (RESTORE, {"slug": "wijk-b"}, 400, "slug", "A neighbourhood wijk-b exists"),
        (RESTORE, {"slug": "Wijk B!"}, 400, "slug", "Use lowercase letters"),
        (RESTORE, {"slug": "x" * 41}, 400, "slug", "no more than 40"),
        (RESTORE, {"slug": "kopie", "domains": ["wijk-b.test"]}, 400, "domains", "in use"),
        (RESTORE, {"slug": "kopie", "domains": "wijk-b.test"}, 400, "domains", "list"),
        (RESTORE, {"replace": True}, 400, "confirm", "Type the neighbourhood's slug"),
        (RESTORE, {"replace": True, "confirm": "wijk-a", "slug": "x-y"}, 400, "replace", "own"),
        (RESTORE, {"replace": "perhaps"}, 400, "replace", "valid boolean"),
        ("/api/v1/backups/wijk-a/20991231-000000-000000/restore/", {}, 404, "detail", ""),
        ("/api/v1/backups/wijk-a/..%2F..%2Fetc/restore/", {}, 404, "detail", ""),
        ("/api/v1/backups/nergens/", {}, 404, "detail", ""),
    ],
)
def test_a_refused_request_answers_4xx_with_its_reason_and_starts_nothing(
    backups, api, path, body, status, field, reason
) -> None:
    response = _post(api, path, body)
    assert response.status_code == status
    found = response.json()[field]
    assert reason in (found if isinstance(found, str) else " ".join(found))
    assert not OperationJob.objects.exists()


def test_a_body_that_is_no_object_and_an_unknown_job_are_4xx(backups, api) -> None:
    assert api.post(RESTORE, "[1]", content_type="application/json").status_code == 400
    assert api.post(RESTORE, "{", content_type="application/json").status_code == 400
    assert api.get("/api/v1/operation-jobs/not-a-uuid/").status_code == 404
    unknown = api.get("/api/v1/operation-jobs/2b7f1c7e-4f7e-4c1e-9a55-5d8f0a1e6a11/")
    assert unknown.status_code == 404 and "detail" in unknown.json()
