"""The operator's neighbourhood API on the platform domain, and the OpenAPI schemas."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_exists

from tests.support.cast import PLATFORM_HOST, client_for, spec_for
from tijdvoorelkaar.neighbourhoods import services
from tijdvoorelkaar.neighbourhoods.models import Domain, Neighbourhood, ProvisioningJob
from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood

pytestmark = pytest.mark.django_db

NEIGHBOURHOODS = "/api/v1/neighbourhoods/"


@pytest.fixture
def api(cast) -> Client:  # type: ignore[no-untyped-def]
    """The operator, calling the API with their token."""
    return Client(
        HTTP_HOST=PLATFORM_HOST,
        HTTP_AUTHORIZATION=f"Token {cast.operator.token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _new(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Breda Hoge Vucht",
        "slug": "hoge-vucht",
        "domains": ["hoge-vucht.test", "www.hoge-vucht.test"],
        "admin_email": "anna@hoge-vucht.test",
        "admin_name": "Anna Admin",
        "theme": "baksteen",
        "languages": ["en", "nl"],
        "credits_enabled": True,
        "credit_name": "Uren",
        "reporting_year_start_month": 1,
        "moderation": "before",
        "broker_phone": "076 000 00 00",
    }
    body.update(overrides)
    return body


def _post(client: Client, path: str, body: object | None = None):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def _paths(response) -> set[str]:  # type: ignore[no-untyped-def]
    return set(json.loads(response.content)["paths"])


# Creating


def test_creating_a_neighbourhood_answers_202_with_a_job_that_ends_done(
    api, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api, NEIGHBOURHOODS, _new())
    # The job is queued on commit: the answer comes before a worker picks it up.
    assert response.status_code == 202
    accepted = response.json()
    assert accepted["status"] == "queued"
    assert accepted["live"]["status"] == "queued"

    job = api.get(f"/api/v1/provisioning-jobs/{accepted['id']}/")
    assert job.status_code == 200
    assert job.json()["status"] == "done"
    assert job.json()["progress"] == 100
    assert job.json()["neighbourhood"] == "hoge-vucht"
    assert job.json()["live"] == {"status": "done", "error": "", "progress": 100, "step": "Done"}

    created = Neighbourhood.objects.get(slug="hoge-vucht")
    assert (created.theme, created.languages, created.credit_name) == (
        "baksteen",
        ["en", "nl"],
        "Uren",
    )
    assert schema_exists("nb_hoge_vucht")
    assert [m.to for m in mail.outbox] == [["anna@hoge-vucht.test"]]
    assert api.get(f"{NEIGHBOURHOODS}hoge-vucht/").json()["domains"] == [
        "hoge-vucht.test",
        "www.hoge-vucht.test",
    ]


def test_a_job_that_fails_midway_is_reported_failed_and_leaves_nothing(
    api, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def broken_seed(neighbourhood: Neighbourhood) -> None:
        raise RuntimeError("seed step failed")

    monkeypatch.setattr(services, "_seed", broken_seed)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = _post(api, NEIGHBOURHOODS, _new()).json()
    job = api.get(f"/api/v1/provisioning-jobs/{accepted['id']}/").json()
    assert job["status"] == "failed"
    assert job["error"] == "Provisioning failed (RuntimeError); nothing was created."
    assert job["neighbourhood"] is None
    assert not Neighbourhood.objects.filter(slug="hoge-vucht").exists()
    assert not schema_exists("nb_hoge_vucht")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "www"}, "slug"),
        ({"slug": "public"}, "slug"),
        ({"slug": "wijk-a"}, "slug"),  # taken by the cast
        ({"slug": "Hoge_Vucht!"}, "slug"),
        ({"name": "N" * 81}, "name"),
        ({"domains": ["wijk-a.test"]}, "domains"),  # taken
        ({"domains": ["not a domain"]}, "domains"),
        ({"domains": []}, "domains"),
        ({"domains": ["localhost"]}, "domains"),  # the platform's own host
        ({"admin_email": "not-an-address"}, "admin_email"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"languages": ["de"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"reporting_year_start_month": 13}, "reporting_year_start_month"),
        ({"credit_name": " "}, "credit_name"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_creates_nothing(
    api, django_capture_on_commit_callbacks, overrides, field
) -> None:
    before = (Neighbourhood.objects.count(), Domain.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api, NEIGHBOURHOODS, _new(**overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert (Neighbourhood.objects.count(), Domain.objects.count()) == before
    if overrides == {"languages": []}:  # one message that says what to do
        assert response.json()["languages"] == ["Choose at least one language."]
    assert not ProvisioningJob.objects.exists()
    assert not schema_exists("nb_hoge_vucht")
    assert mail.outbox == []


# Reading


def test_the_list_shows_every_neighbourhood_with_its_domains(cast, api) -> None:
    response = api.get(NEIGHBOURHOODS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(n["slug"], n["domains"]) for n in body["results"]] == [
        ("wijk-a", ["wijk-a.test"]),
        ("wijk-b", ["wijk-b.test"]),
    ]


def test_the_list_costs_the_same_queries_however_many_neighbourhoods(cast, api) -> None:
    api.get(NEIGHBOURHOODS)
    with CaptureQueriesContext(connection) as two:
        api.get(NEIGHBOURHOODS)
    provision_neighbourhood(spec=spec_for("derde-wijk", domains=["derde.test", "www.derde.test"]))
    with CaptureQueriesContext(connection) as three:
        assert api.get(NEIGHBOURHOODS).json()["count"] == 3
    assert len(three) == len(two)


def test_one_neighbourhood_shows_its_domains_settings_and_schema(cast, api) -> None:
    response = api.get(f"{NEIGHBOURHOODS}wijk-a/")
    assert response.status_code == 200
    item = response.json()
    assert item["domains"] == ["wijk-a.test"]
    assert item["url"] == "http://wijk-a.test/"
    assert (item["schema_name"], item["status"], item["theme"]) == ("nb_wijk_a", "active", "kade")
    assert item["broker_phone"] == "030 000 00 00"


def test_an_unknown_neighbourhood_or_job_is_not_found(cast, api) -> None:
    assert api.get(f"{NEIGHBOURHOODS}no-such-place/").status_code == 404
    assert (
        api.get("/api/v1/provisioning-jobs/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


@pytest.mark.parametrize("path", ["a%00b/", "%00/", "%00/archive/", "zo%C3%AB/"])
def test_a_slug_with_odd_characters_is_not_found_rather_than_failing(cast, api, path) -> None:
    api.raise_request_exception = False
    assert _post(api, f"{NEIGHBOURHOODS}{path}").status_code in (404, 405)
    response = api.get(f"{NEIGHBOURHOODS}{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# Changing


def test_patch_changes_the_settings(cast, api) -> None:
    response = api.patch(
        f"{NEIGHBOURHOODS}wijk-a/",
        json.dumps({"tagline": "Samen in de wijk", "credits_enabled": True, "credit_name": "Uren"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["tagline"] == "Samen in de wijk"
    saved = Neighbourhood.objects.get(slug="wijk-a")
    assert (saved.tagline, saved.credits_enabled, saved.credit_name) == (
        "Samen in de wijk",
        True,
        "Uren",
    )
    assert Neighbourhood.objects.get(slug="wijk-b").tagline == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"accent_colour": "#ffff00"}, "accent_colour"),  # too little contrast
        ({"accent_colour": "red"}, "accent_colour"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"languages": []}, "languages"),
        ({"languages": ["de"]}, "languages"),
        ({"name": ""}, "name"),
        ({"credits_enabled": True, "credit_name": ""}, "credit_name"),
    ],
)
def test_a_bad_settings_change_answers_400_naming_the_field(cast, api, change, field) -> None:
    response = api.patch(
        f"{NEIGHBOURHOODS}wijk-a/", json.dumps(change), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Neighbourhood.objects.get(slug="wijk-a").accent_colour == ""
    assert Neighbourhood.objects.get(slug="wijk-a").theme == "kade"


def test_archive_closes_the_site_and_reopen_brings_it_back(cast, api) -> None:
    site = Client(HTTP_HOST=cast.a.host)
    assert site.get("/").status_code == 200

    archived = _post(api, f"{NEIGHBOURHOODS}wijk-a/archive/")
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert archived.json()["archived_at"] is not None
    assert site.get("/").status_code == 410
    assert site.get("/api/v1/neighbourhood/").status_code == 410

    reopened = _post(api, f"{NEIGHBOURHOODS}wijk-a/reopen/")
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["archived_at"]) == ("active", None)
    assert site.get("/").status_code == 200


@pytest.mark.parametrize("query", ["?confirm=wijk-b", "?confirm=", "", "?confirm=WIJK-A"])
def test_delete_without_the_right_confirmation_answers_400_and_deletes_nothing(
    cast, api, settings, tmp_path, query
) -> None:
    settings.BACKUP_DIR = tmp_path
    response = api.delete(f"{NEIGHBOURHOODS}wijk-a/{query}")
    assert response.status_code == 400
    assert "confirm" in response.json()
    assert Neighbourhood.objects.filter(slug="wijk-a").exists()
    assert Domain.objects.filter(domain="wijk-a.test").exists()
    assert schema_exists("nb_wijk_a")
    assert list(tmp_path.iterdir()) == []  # no backup written either


# Who may call it


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", NEIGHBOURHOODS),
        ("post", NEIGHBOURHOODS),
        ("get", f"{NEIGHBOURHOODS}wijk-a/"),
        ("patch", f"{NEIGHBOURHOODS}wijk-a/"),
        ("post", f"{NEIGHBOURHOODS}wijk-a/archive/"),
        ("delete", f"{NEIGHBOURHOODS}wijk-a/?confirm=wijk-a"),
    ],
)
def test_without_credentials_every_endpoint_is_refused(cast, method, path) -> None:
    response = getattr(Client(HTTP_HOST=PLATFORM_HOST), method)(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert b"wijk-a.test" not in response.content
    assert not Neighbourhood.objects.get(slug="wijk-a").is_archived


def test_a_neighbourhood_admins_token_is_refused_on_the_platform_host(cast) -> None:
    client = Client(HTTP_HOST=PLATFORM_HOST, HTTP_AUTHORIZATION=f"Token {cast.a.admin.token}")
    response = client.get(NEIGHBOURHOODS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."
    assert b"wijk-a.test" not in response.content


def test_a_neighbourhood_admins_session_is_refused_on_the_platform_host(cast) -> None:
    session = client_for(cast.a.host, cast.a.neighbourhood, cast.a.admin).cookies["sessionid"]
    client = Client(HTTP_HOST=PLATFORM_HOST)
    client.cookies["sessionid"] = session.value
    response = client.get(NEIGHBOURHOODS)
    assert response.status_code == 401
    assert b"wijk-a.test" not in response.content


def test_the_operators_session_also_works(cast, operator_client) -> None:
    assert operator_client.get(NEIGHBOURHOODS).json()["count"] == 2


def test_the_operator_api_does_not_exist_on_a_neighbourhoods_host(cast) -> None:
    client = Client(HTTP_HOST=cast.a.host, HTTP_AUTHORIZATION=f"Token {cast.operator.token}")
    assert client.get(NEIGHBOURHOODS).status_code == 404
    assert client.get(f"{NEIGHBOURHOODS}wijk-a/").status_code == 404


# The schema and its docs


def test_the_platform_schema_lists_the_operator_endpoints(cast) -> None:
    response = Client(HTTP_HOST=PLATFORM_HOST).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = _paths(response)
    assert {
        NEIGHBOURHOODS,
        "/api/v1/neighbourhoods/{slug}/",
        "/api/v1/neighbourhoods/{slug}/archive/",
        "/api/v1/neighbourhoods/{slug}/reopen/",
        "/api/v1/provisioning-jobs/{id}/",
    } <= paths
    assert "/api/v1/staff/" not in paths
    assert "/api/v1/neighbourhood/" not in paths


def test_a_neighbourhoods_schema_lists_only_its_own_endpoints(cast) -> None:
    response = Client(HTTP_HOST=cast.a.host).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = _paths(response)
    assert {"/api/v1/staff/", "/api/v1/neighbourhood/"} <= paths
    assert not any(path.startswith(NEIGHBOURHOODS) for path in paths)
    assert not any(path.startswith("/api/v1/provisioning-jobs/") for path in paths)


@pytest.mark.parametrize("host", [PLATFORM_HOST, "wijk-a.test"])
def test_the_api_docs_page_answers(cast, host) -> None:
    client = Client(HTTP_HOST=host)
    assert client.get("/api/docs/").status_code == 200
    assert b"/api/schema/" in client.get("/api/docs/?script=").content  # its start-up script


@pytest.mark.parametrize(
    "urlconf",
    [
        "tijdvoorelkaar.urls_platform",
        "tijdvoorelkaar.urls_neighbourhood",
    ],
)
def test_the_openapi_schema_is_valid_and_has_no_warnings(urlconf, tmp_path, capsys) -> None:
    target = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--urlconf", urlconf, "--file", str(target)
    )
    assert "Warning" not in capsys.readouterr().err
    assert target.stat().st_size > 0
