"""Deleting a neighbourhood for real: a pg_dump of its schema first, then the schema and its
registry rows go. pg_dump reads from its own connection, so this work must commit: no test
transaction here (except where marked); each test cleans up what it made."""

from __future__ import annotations

import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_exists

from tests.support.cast import PLATFORM_HOST, spec_for
from tijdvoorelkaar.neighbourhoods import services
from tijdvoorelkaar.neighbourhoods.blueprint import pg_tool
from tijdvoorelkaar.neighbourhoods.models import Domain, Neighbourhood, ProvisioningJob
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood


@pytest.fixture
def _test_database() -> None:
    # pytest-django creates the test database only if some selected test is marked django_db;
    # without one, unblocked work would run against the real database. Refuse that.
    assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"


@pytest.fixture
def committed(_test_database, cast, django_db_blocker, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.BACKUP_DIR = tmp_path
    with django_db_blocker.unblock():
        yield tmp_path
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith="weg-"):
            delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug)
        ProvisioningJob.objects.filter(request__slug__startswith="weg-").delete()


@pytest.fixture
def console(committed, operator_client):  # type: ignore[no-untyped-def]
    operator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    yield operator_client
    operator_client.logout()  # its session row was committed


def _contents(backup: Path) -> str:
    """The table of contents of a custom-format dump."""
    return subprocess.run(  # noqa: S603 - our own tool and file
        [pg_tool("pg_restore"), "--list", str(backup)], capture_output=True, text=True, check=True
    ).stdout


def _assert_deleted(slug: str, backup: Path) -> None:
    schema = f"nb_{slug.replace('-', '_')}"
    assert backup.is_file() and backup.stat().st_size > 0
    assert backup.name.startswith(f"{slug}-") and backup.suffix == ".dump"
    assert f"TABLE DATA {schema} accounts_user" in _contents(backup)
    assert not schema_exists(schema)
    assert not Neighbourhood.objects.filter(slug=slug).exists()
    assert not Domain.objects.filter(domain=f"{slug}.test").exists()
    assert Client(HTTP_HOST=f"{slug}.test").get("/").status_code == 404


def test_the_console_deletes_after_the_slug_is_typed_and_a_backup_is_written(
    console, committed
) -> None:
    provision_neighbourhood(spec=spec_for("weg-console"))
    assert Client(HTTP_HOST="weg-console.test").get("/").status_code == 200  # host now cached

    wrong = console.post("/neighbourhoods/weg-console/delete/", {"confirm_slug": "wijk-a"})
    assert wrong.status_code == 400
    assert b'aria-invalid="true"' in wrong.content
    assert b"Type the neighbourhood&#x27;s slug exactly to confirm." in wrong.content
    assert schema_exists("nb_weg_console")
    assert Domain.objects.filter(domain="weg-console.test").exists()
    assert list(committed.iterdir()) == []

    right = console.post("/neighbourhoods/weg-console/delete/", {"confirm_slug": "weg-console"})
    assert right.status_code == 302
    assert right["Location"] == "/"
    [backup] = committed.iterdir()
    _assert_deleted("weg-console", backup)
    dashboard = console.get("/")
    assert backup.name.encode() in dashboard.content
    assert b"weg-console" not in dashboard.content.replace(backup.name.encode(), b"")
    assert schema_exists("nb_wijk_a") and schema_exists("nb_wijk_b")


def test_the_api_deletes_with_confirm_and_answers_with_the_backup(cast, committed) -> None:
    provision_neighbourhood(spec=spec_for("weg-api"))
    api = Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=f"Token {cast.operator.token}")

    refused = api.delete("/api/v1/neighbourhoods/weg-api/?confirm=weg")
    assert refused.status_code == 400
    assert schema_exists("nb_weg_api")

    response = api.delete("/api/v1/neighbourhoods/weg-api/?confirm=weg-api")
    assert response.status_code == 200
    body = response.json()
    assert body["deleted"] == "weg-api"
    _assert_deleted("weg-api", committed / body["backup"])
    assert api.get("/api/v1/neighbourhoods/weg-api/").status_code == 404


def test_the_command_deletes_and_prints_where_the_backup_is(committed) -> None:
    provision_neighbourhood(spec=spec_for("weg-command"))
    out = StringIO()
    call_command("delete_neighbourhood", "weg-command", "--confirm", "weg-command", stdout=out)
    [backup] = committed.iterdir()
    assert str(backup) in out.getvalue()
    _assert_deleted("weg-command", backup)


def test_a_new_neighbourhood_can_take_a_deleted_ones_slug_and_domain(committed) -> None:
    provision_neighbourhood(spec=spec_for("weg-opnieuw"))
    delete_neighbourhood(
        neighbourhood=Neighbourhood.objects.get(slug="weg-opnieuw"), confirm_slug="weg-opnieuw"
    )
    again = provision_neighbourhood(spec=spec_for("weg-opnieuw"))
    assert schema_exists(again.schema_name)
    assert Client(HTTP_HOST="weg-opnieuw.test").get("/").status_code == 200


def test_the_job_page_still_answers_after_its_neighbourhood_was_deleted(cast, console) -> None:
    created = console.post(
        "/neighbourhoods/new/",
        {
            "name": "Weg Job",
            "slug": "weg-job",
            "domains": "weg-job.test",
            "admin_email": "admin@weg-job.test",
            "theme": "default",
            "languages": ["nl"],
            "reporting_year_start_month": "7",
            "moderation": "after",
            "ad_lifetime_weeks": "8",
            "support_conversation_limit": "3",
            "follow_up_weeks": "2",
            "credit_name": "Roosjes",
        },
    )
    job_page = created["Location"]
    assert b'href="/neighbourhoods/weg-job/"' in console.get(job_page).content
    console.post("/neighbourhoods/weg-job/delete/", {"confirm_slug": "weg-job"})
    assert not schema_exists("nb_weg_job")

    api = Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=f"Token {cast.operator.token}")
    job = api.get(f"/api/v1/provisioning-jobs/{job_page.split('/')[2]}/").json()
    assert (job["status"], job["neighbourhood"]) == ("done", None)
    assert console.get(job_page).status_code == 200


@pytest.mark.django_db
def test_when_the_backup_fails_nothing_is_deleted(cast, monkeypatch, settings, tmp_path) -> None:
    settings.BACKUP_DIR = tmp_path
    monkeypatch.setattr(services, "pg_tool", lambda name: "false")  # a pg_dump that fails
    with pytest.raises(services.BackupFailed) as caught:
        delete_neighbourhood(neighbourhood=cast.a.neighbourhood, confirm_slug="wijk-a")
    assert "Wijk A" in str(caught.value)
    assert schema_exists("nb_wijk_a")
    assert Neighbourhood.objects.filter(slug="wijk-a").exists()
    assert Domain.objects.filter(domain="wijk-a.test").exists()
    assert Client(HTTP_HOST=cast.a.host).get("/").status_code == 200  # reopened, not archived
