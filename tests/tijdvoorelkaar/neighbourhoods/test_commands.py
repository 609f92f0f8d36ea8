"""The management commands: provision, archive or reopen, delete (the refusals; the real
deletion is in test_deletion.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django_tenants.utils import schema_exists, tenant_context

from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Domain, Neighbourhood

pytestmark = pytest.mark.django_db


def _provision(*arguments: str, stderr: StringIO | None = None) -> str:
    out = StringIO()
    call_command("provision_neighbourhood", *arguments, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


def _lunetten(**overrides: str) -> list[str]:
    options = {
        "--name": "Utrecht Lunetten",
        "--domain": "lunetten.test",
        "--admin-email": "beheer@lunetten.test",
        "--theme": "kade",
        **overrides,
    }
    slug = options.pop("slug", "lunetten")
    return [slug, *[part for pair in options.items() for part in pair]]


def test_provision_creates_the_neighbourhood_and_prints_its_schema(
    cast, django_capture_on_commit_callbacks
) -> None:
    progress = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        output = _provision(
            *_lunetten(),
            "--domain",
            "www.lunetten.test",
            "--credits",
            "--credit-name",
            "Uren",
            "--language",
            "en",
            "--moderation",
            "before",
            "--broker-phone",
            "030 123 45 67",
            stderr=progress,
        )
    assert "Created Utrecht Lunetten (nb_lunetten)" in output
    assert "100%" in progress.getvalue()  # the progress bar ran to the end
    neighbourhood = Neighbourhood.objects.get(slug="lunetten")
    assert (neighbourhood.schema_name, neighbourhood.theme) == ("nb_lunetten", "kade")
    assert (neighbourhood.credits_enabled, neighbourhood.credit_name) == (True, "Uren")
    assert (neighbourhood.languages, neighbourhood.moderation) == (["en"], "before")
    assert neighbourhood.broker_phone == "030 123 45 67"
    assert [d.domain for d in neighbourhood.domains.all()] == [
        "lunetten.test",
        "www.lunetten.test",
    ]
    assert schema_exists("nb_lunetten")
    with tenant_context(neighbourhood):
        assert User.objects.get().role == Role.ADMIN
    assert [m.to for m in mail.outbox] == [["beheer@lunetten.test"]]
    assert Client(HTTP_HOST="lunetten.test").get("/").status_code == 200


def test_provision_with_verbosity_0_prints_no_progress_bar(cast) -> None:
    progress = StringIO()
    call_command(
        "provision_neighbourhood", *_lunetten(), verbosity=0, stdout=StringIO(), stderr=progress
    )
    assert progress.getvalue() == ""
    assert schema_exists("nb_lunetten")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"--domain": "not a domain"}, "domains"),
        ({"--domain": "wijk-a.test"}, "domains"),
        ({"slug": "public"}, "slug"),
        ({"slug": "wijk-b"}, "slug"),
        ({"slug": "Lunetten!"}, "slug"),
        ({"--name": "N" * 81}, "name"),
        ({"--admin-email": "nobody"}, "admin_email"),
        ({"--theme": "no-such-theme"}, "theme"),
        ({"--reporting-year-start-month": "0"}, "reporting_year_start_month"),
    ],
)
def test_bad_input_raises_a_command_error_naming_the_field_and_leaves_nothing(
    cast, django_capture_on_commit_callbacks, overrides, field
) -> None:
    before = (Neighbourhood.objects.count(), Domain.objects.count())
    with (
        pytest.raises(CommandError) as caught,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _provision(*_lunetten(**overrides))
    assert f"{field}: " in str(caught.value)
    assert (Neighbourhood.objects.count(), Domain.objects.count()) == before
    assert not schema_exists("nb_lunetten")
    assert mail.outbox == []


def test_several_bad_fields_are_all_named_at_once(cast) -> None:
    with pytest.raises(CommandError) as caught:
        _provision(*_lunetten(slug="www", **{"--domain": "wijk-a.test"}))
    lines = str(caught.value).splitlines()
    assert [line.split(":")[0] for line in lines] == ["slug", "domains"]


def test_archive_closes_the_site_and_reopen_brings_it_back(cast) -> None:
    site = Client(HTTP_HOST=cast.a.host)
    out = StringIO()
    call_command("archive_neighbourhood", "wijk-a", stdout=out)
    assert "Wijk A: archived." in out.getvalue()
    assert Neighbourhood.objects.get(slug="wijk-a").is_archived
    assert site.get("/").status_code == 410
    assert schema_exists("nb_wijk_a")  # archiving keeps the data

    out = StringIO()
    call_command("archive_neighbourhood", "wijk-a", "--reopen", stdout=out)
    assert "Wijk A: active." in out.getvalue()
    reopened = Neighbourhood.objects.get(slug="wijk-a")
    assert (reopened.status, reopened.archived_at) == (Neighbourhood.Status.ACTIVE, None)
    assert site.get("/").status_code == 200


def test_archive_of_an_unknown_slug_raises_a_command_error(cast) -> None:
    with pytest.raises(CommandError, match="no-such-place"):
        call_command("archive_neighbourhood", "no-such-place", stdout=StringIO())


@pytest.mark.parametrize("confirm", ["wijk-b", "WIJK-A", "wijk-a ", ""])
def test_delete_with_a_wrong_confirmation_raises_and_deletes_nothing(
    cast, settings, tmp_path, confirm
) -> None:
    settings.BACKUP_DIR = tmp_path
    with pytest.raises(CommandError, match="slug"):
        call_command("delete_neighbourhood", "wijk-a", "--confirm", confirm, stdout=StringIO())
    assert Neighbourhood.objects.filter(slug="wijk-a").exists()
    assert Domain.objects.filter(domain="wijk-a.test").exists()
    assert schema_exists("nb_wijk_a")
    assert list(tmp_path.iterdir()) == []


def test_delete_of_an_unknown_slug_raises_a_command_error(cast) -> None:
    with pytest.raises(CommandError, match="no-such-place"):
        call_command(
            "delete_neighbourhood", "no-such-place", "--confirm", "no-such-place", stdout=StringIO()
        )
