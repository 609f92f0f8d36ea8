"""Provisioning many neighbourhoods in a row: the service, the command and the API's bulk
endpoint. Each builds the spares the batch needs first, then provisions every neighbourhood
from one. (Waiting for a spare under way, and a refill beside a batch, need committed work:
test_provisioning_committed.py.)"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_exists

from tests.support.cast import PLATFORM_HOST, spec_for
from tijdvoorelkaar.neighbourhoods import services, spares
from tijdvoorelkaar.neighbourhoods.bulk import provision_neighbourhoods
from tijdvoorelkaar.neighbourhoods.jobs import run_job
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood, ProvisioningJob

pytestmark = pytest.mark.django_db

SLUGS = ("reeks-een", "reeks-twee", "reeks-drie")


@pytest.fixture
def no_replay(monkeypatch):  # type: ignore[no-untyped-def]
    """Provisioning must take a spare: a replay of the blueprint fails the test."""

    def refuse(blueprint, schema_name):  # type: ignore[no-untyped-def]
        raise AssertionError(f"{schema_name} was replayed instead of taken from a spare")

    monkeypatch.setattr(services, "replay_blueprint", refuse)


def _entry(slug: str, **overrides: object) -> dict[str, object]:
    return {**spec_for(slug).as_dict(), **overrides}


def test_a_batch_is_provisioned_from_spares_it_builds_first(cast, no_replay) -> None:
    progress: list[tuple[int, int, str]] = []
    made = provision_neighbourhoods(
        specs=[spec_for(slug) for slug in SLUGS],
        progress=lambda done, total, slug: progress.append((done, total, slug)),
    )
    assert [n.slug for n in made] == list(SLUGS)
    assert all(schema_exists(n.schema_name) for n in made)
    assert progress == [(i, 3, slug) for i, slug in enumerate(SLUGS, start=1)]
    assert spares._spares() == []  # the pool size is 0 in the tests: none left over


def test_a_batch_with_a_slug_or_domain_twice_makes_nothing(cast) -> None:
    specs = [
        spec_for("reeks-een"),
        spec_for("reeks-een"),
        spec_for("reeks-twee", domains=["reeks-een.test"]),
    ]
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        provision_neighbourhoods(specs=specs)
    errors = raised.value.message_dict
    assert errors["reeks-een"].count("This slug is in the list twice.") == 1
    assert any("reeks-een.test" in message for message in errors["reeks-twee"])
    assert not Neighbourhood.objects.filter(slug__startswith="reeks-").exists()
    assert spares._spares() == []  # checked before any spare was built


def test_a_batch_names_each_invalid_neighbourhood(cast) -> None:
    specs = [spec_for("reeks-een"), spec_for("wijk-a"), spec_for("reeks-drie", admin_email="x")]
    with pytest.raises(ValidationError) as raised:
        provision_neighbourhoods(specs=specs)
    assert set(raised.value.message_dict) == {"wijk-a", "reeks-drie"}


def test_the_command_provisions_a_json_file_of_neighbourhoods(
    cast, no_replay, tmp_path, django_capture_on_commit_callbacks
) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([_entry(slug) for slug in SLUGS[:2]]))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("provision_neighbourhoods", str(batch), stdout=out, stderr=StringIO())
    assert "Created 2 neighbourhoods" in out.getvalue()
    assert set(Neighbourhood.objects.filter(slug__in=SLUGS).values_list("slug", flat=True)) == {
        "reeks-een",
        "reeks-twee",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{}", "JSON list"),
        ('[{"slug": "reeks-een"}]', "missing"),
        (json.dumps([{**_entry("reeks-een"), "colour": "red"}]), "unknown fields ['colour']"),
        (json.dumps([_entry("wijk-a")]), "wijk-a"),
    ],
)
def test_the_command_refuses_a_bad_file_and_makes_nothing(cast, tmp_path, content, message) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text(content)
    with pytest.raises(CommandError, match=message.replace("[", r"\[")):
        call_command("provision_neighbourhoods", str(batch), stdout=StringIO(), stderr=StringIO())
    assert not Neighbourhood.objects.filter(slug__startswith="reeks-").exists()


def _api(cast) -> Client:  # type: ignore[no-untyped-def]
    return Client(
        HTTP_HOST=PLATFORM_HOST,
        HTTP_AUTHORIZATION=f"Token {cast.operator.token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _bulk(client: Client, entries: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/neighbourhoods/bulk/",
        json.dumps({"neighbourhoods": entries}),
        content_type="application/json",
    )


def test_the_api_takes_a_batch_as_one_job_per_neighbourhood_that_end_done(
    cast, no_replay, django_capture_on_commit_callbacks
) -> None:
    api = _api(cast)
    entries = [
        {k: v for k, v in _entry(slug).items() if k in ("name", "slug", "domains", "admin_email")}
        for slug in SLUGS
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = _bulk(api, entries)
    assert response.status_code == 202
    accepted = response.json()
    assert [job["status"] for job in accepted] == ["queued"] * 3
    for job, slug in zip(accepted, SLUGS, strict=True):
        done = api.get(f"/api/v1/provisioning-jobs/{job['id']}/").json()
        assert (done["status"], done["neighbourhood"]) == ("done", slug)


def test_a_batch_for_a_slug_or_domain_a_waiting_job_holds_is_refused_at_once(
    cast, django_capture_on_commit_callbacks
) -> None:
    # Given a batch accepted and not yet run
    api = _api(cast)
    entry = {"name": "Een", "slug": "reeks-een", "domains": ["een.test"], "admin_email": "a@x.test"}
    with django_capture_on_commit_callbacks() as queued:
        first = _bulk(api, [entry]).json()[0]

        # When another asks for the same slug, or another slug on the same domain
        same_slug = _bulk(api, [{**entry, "domains": ["twee.test"]}])
        same_domain = _bulk(api, [{**entry, "slug": "reeks-twee"}])

    # Then both are refused, saying which job holds what, and nothing more is queued
    assert same_slug.status_code == 400
    assert "already making a neighbourhood with this slug" in str(same_slug.json())
    assert same_domain.status_code == 400
    assert "already making a neighbourhood on: een.test" in str(same_domain.json())
    assert ProvisioningJob.objects.count() == 1
    for callback in queued:
        callback()
    assert ProvisioningJob.objects.get(pk=first["id"]).status == "done"


@pytest.mark.parametrize(
    ("asked_in", "worker_in", "says"),
    [("en", "nl", "already exists"), ("nl", "en", "Er is al een wijk met deze korte naam")],
)
def test_a_job_for_a_slug_another_job_made_first_fails_rather_than_claiming_it(
    cast, django_capture_on_commit_callbacks, asked_in: str, worker_in: str, says: str
) -> None:
    # Given two jobs for the same neighbourhood, both waiting (accepted at the same moment)
    api = _api(cast)
    entry = {"name": "Een", "slug": "reeks-een", "domains": ["een.test"], "admin_email": "a@x.test"}
    with django_capture_on_commit_callbacks() as queued:
        first = _bulk(api, [entry]).json()[0]
    second = ProvisioningJob.objects.create(
        request={**ProvisioningJob.objects.get(pk=first["id"]).request, "name": "Another"},
        language=asked_in,
    )

    # When both run, one after the other, in a worker whose language is another
    with translation.override(worker_in):
        for callback in queued:
            callback()
        run_job(str(second.pk))

    # Then the first made it; the second failed, saying why in the asker's language, instead
    # of reporting it as done
    assert ProvisioningJob.objects.get(pk=first["id"]).status == "done"
    second.refresh_from_db()
    assert (second.status, second.neighbourhood) == ("failed", None)
    assert says in second.error
    assert Neighbourhood.objects.get(slug="reeks-een").name == "Een"


def test_the_api_refuses_a_batch_with_a_domain_twice_and_queues_nothing(cast) -> None:
    entries = [
        {"name": "Een", "slug": "reeks-een", "domains": ["x.test"], "admin_email": "a@x.test"},
        {"name": "Twee", "slug": "reeks-twee", "domains": ["x.test"], "admin_email": "b@x.test"},
    ]
    response = _bulk(_api(cast), entries)
    assert response.status_code == 400
    assert "x.test" in json.dumps(response.json())
    assert not ProvisioningJob.objects.filter(request__slug__startswith="reeks-").exists()


def test_one_neighbourhood_a_waiting_job_holds_is_refused_at_once(
    cast, django_capture_on_commit_callbacks
) -> None:
    from tijdvoorelkaar.neighbourhoods.jobs import start_provisioning

    with django_capture_on_commit_callbacks():  # accepted, not run
        start_provisioning(spec=spec_for("reeks-drie"), requested_by=None)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        start_provisioning(spec=spec_for("reeks-drie"), requested_by=None)
    assert "slug" in refused.value.message_dict
    assert "domains" in refused.value.message_dict  # spec_for gives it the same domain
    assert ProvisioningJob.objects.filter(request__slug="reeks-drie").count() == 1


def test_the_api_says_which_item_and_field_of_a_batch_is_wrong(cast) -> None:
    entries = [
        {"name": "Een", "slug": "reeks-een", "domains": ["een.test"], "admin_email": "a@x.test"},
        {"name": "Twee", "domains": ["twee.test"], "languages": ["nl", "de"]},
    ]
    response = _bulk(_api(cast), entries)
    assert response.status_code == 400
    messages = response.json()["neighbourhoods"]
    assert "Number 2, slug: This field is required." in messages
    assert "Number 2, admin_email: This field is required." in messages
    assert any(message.startswith("Number 2, languages, Number 2: ") for message in messages)
    assert not any(message.startswith("Number 1") for message in messages)
    assert not ProvisioningJob.objects.filter(request__slug__startswith="reeks-").exists()
