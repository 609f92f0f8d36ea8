"""The console's Backups pages without a real dump: who gets in, what is listed (also of a
deleted neighbourhood), newest first and paged, and the restores that are refused before any
work starts (a taken name, a bad name or domain, an unreadable dump, a live neighbourhood
without the confirmation step). The real dumps and restores: operations/test_restore_console.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.support.backups import write_backup
from tests.support.cast import PLATFORM_HOST, client_for
from tijdvoorelkaar.operations.backups import STAMP
from tijdvoorelkaar.operations.models import OperationJob

pytestmark = pytest.mark.django_db

STAMPS = ["20261201-023000-000000", "20261202-023000-000000", "20261203-023000-000000"]


@pytest.fixture
def backups(settings, tmp_path, cast) -> Path:  # type: ignore[no-untyped-def]
    settings.BACKUP_DIR = tmp_path
    OperationJob.objects.all().delete()  # committed by browser tests; rolled back here
    for stamp in STAMPS:
        write_backup(tmp_path, "wijk-a", stamp)
    write_backup(tmp_path, "oud-west", STAMPS[0], state="older-code")
    (tmp_path / "weg-wijk-20261130-101010-000000.dump").write_bytes(b"not a dump at all")
    return tmp_path


@pytest.fixture
def console(operator_client: Client) -> Client:
    operator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return operator_client


# Who gets in


@pytest.mark.parametrize(
    "path", ["/backups/", "/backups/wijk-a/", f"/backups/wijk-a/{STAMPS[0]}/restore/"]
)
def test_an_anonymous_visitor_is_sent_to_the_login_page(backups, path: str) -> None:
    response = Client(HTTP_HOST=PLATFORM_HOST).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_neighbourhood_admin_cannot_back_up_or_restore(backups, cast) -> None:
    session = client_for(cast.a.host, cast.a.neighbourhood, cast.a.admin).cookies["sessionid"]
    client = Client(HTTP_HOST=PLATFORM_HOST)
    client.cookies["sessionid"] = session.value
    assert client.post("/backups/wijk-a/back-up/").status_code == 302  # to the login page
    restore = client.post(f"/backups/wijk-a/{STAMPS[0]}/restore/", {"mode": "new", "slug": "x-y"})
    assert restore.status_code == 302
    # and on the neighbourhood's own host the console does not exist
    assert cast.a.client(cast.a.admin).get("/backups/").status_code == 404
    assert not OperationJob.objects.exists()


# What is listed


def test_the_backups_page_lists_live_and_deleted_neighbourhoods(backups, console, cast) -> None:
    response = console.get("/backups/")
    assert response.status_code == 200
    rows = {row.slug: row for row in response.context["page"]}
    assert rows["wijk-a"].count == 3 and rows["wijk-a"].neighbourhood == cast.a.neighbourhood
    assert rows["wijk-b"].count == 0  # live, never backed up: listed to back up now
    assert rows["oud-west"].neighbourhood is None and rows["weg-wijk"].count == 1
    assert b"Deleted" in response.content and b"Back up Wijk A now" in response.content


def test_a_neighbourhoods_backups_are_newest_first_with_size_and_code_version(
    backups, console
) -> None:
    response = console.get("/backups/wijk-a/")
    assert [dump.key for dump in response.context["page"]] == STAMPS[::-1]
    assert response.context["page"][0].size == 2048 + len(
        (backups / "wijk-a" / STAMPS[2] / "registry.json").read_bytes()
    )
    assert b"same as this code" in response.content
    assert b"other code:" in console.get("/backups/oud-west/").content
    deleted = console.get("/backups/weg-wijk/")
    assert [d.key for d in deleted.context["page"]] == ["deletion-20261130-101010-000000"]
    assert b"left by the deletion" in deleted.content


def test_a_backup_written_this_minute_is_just_now_not_zero_minutes_ago(backups, console) -> None:
    stamp = timezone.localtime().strftime(STAMP)  # as backup_neighbourhood names it
    write_backup(backups, "wijk-a", stamp)
    text = console.get("/backups/wijk-a/").content.decode()
    assert "(just now)" in text and "0 minutes ago" not in text
    assert text.count(" ago)") == 3  # the older ones keep their age
    console.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    assert "(zojuist)" in console.get("/backups/wijk-a/").content.decode()


def test_the_restore_form_of_a_deletions_dump_says_what_comes_back(backups, console) -> None:
    text = console.get("/backups/weg-wijk/deletion-20261130-101010-000000/restore/").content
    assert b"This backup was left by the deletion: it holds the data only." in text
    assert b"comes back archived, named weg-wijk, with default settings" in text
    own = console.get(f"/backups/wijk-a/{STAMPS[0]}/restore/").content
    assert b"left by the deletion" not in own


def test_the_list_is_paged_the_one_way(backups, console, settings) -> None:
    for day in range(10, 40):
        write_backup(backups, "wijk-a", f"202611{day % 30 + 1:02d}-0{day % 3}0000-000000")
    first, second = console.get("/backups/wijk-a/"), console.get("/backups/wijk-a/?page=2")
    assert len(first.context["page"]) == 25 and len(second.context["page"]) == 8
    assert b"Page 1 of 2" in first.content


@pytest.mark.parametrize(
    "path",
    [
        "/backups/nergens/",
        "/backups/wijk-a/../../etc/restore/",
        "/backups/wijk-a/20991231-000000-000000/restore/",
        "/backups/wijk-a/..%2F..%2Fetc/restore/",
        f"/backups/wijk-b/{STAMPS[0]}/restore/",
    ],
)
def test_a_backup_that_does_not_exist_is_a_404(backups, console, path: str) -> None:
    assert console.get(path).status_code == 404


# Refused before any work


def _restore(console: Client, key: str = STAMPS[0], source: str = "wijk-a", **form: str):  # type: ignore[no-untyped-def]
    return console.post(f"/backups/{source}/{key}/restore/", form)


def test_restoring_as_new_is_the_default_and_needs_a_name(backups, console) -> None:
    page = console.get(f"/backups/wijk-a/{STAMPS[0]}/restore/")
    assert page.context["form"]["mode"].value() == "new"
    response = _restore(console, mode="new", slug="")
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == ["Give the copy a new short name."]


def test_a_copys_name_the_field_refuses_gets_only_that_reason(backups, console) -> None:
    response = _restore(console, mode="new", slug="wijk\x00kopie")
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == ["Null characters are not allowed."]


def test_a_deleted_neighbourhoods_backup_is_offered_back_under_its_own_name(
    backups, console
) -> None:
    page = console.get(f"/backups/oud-west/{STAMPS[0]}/restore/")
    assert page.context["form"]["mode"].value() == "own"


@pytest.mark.parametrize(
    ("slug", "domains", "field", "message"),
    [
        ("wijk-b", "", "slug", "A neighbourhood wijk-b exists: restore under another name."),
        ("Wijk_C", "", "slug", "Use lowercase letters, digits and single hyphens"),
        ("public", "", "slug", "reserved name"),
        ("wijk-kopie", "wijk-b.test", "domains", "Already in use: wijk-b.test."),
        ("wijk-kopie", "not a domain", "domains", "is not a valid domain name"),
    ],
)
def test_a_restore_under_a_taken_or_bad_name_is_refused(
    backups, console, slug, domains, field, message
) -> None:
    response = _restore(console, mode="new", slug=slug, domains=domains)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not OperationJob.objects.exists()


def test_a_taken_name_is_called_a_neighbourhood_on_a_dutch_page(backups, console) -> None:
    console.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    response = _restore(console, mode="new", slug="wijk-b")
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [
        "Er bestaat al een wijk wijk-b: zet de back-up terug onder een andere naam."
    ]  # "wijk" is a neighbourhood; "buurt" a sub-area within one


def test_an_unreadable_dump_is_refused_with_a_reason(backups, console) -> None:
    response = _restore(console, "deletion-20261130-101010-000000", "weg-wijk", mode="own", slug="")
    assert response.status_code == 400
    assert "cannot be read: it is damaged or not a pg_dump file" in str(response.content)
    assert not OperationJob.objects.exists()


def test_restoring_a_live_neighbourhood_under_its_own_name_asks_to_confirm_first(
    backups, console, cast
) -> None:
    response = _restore(console, mode="own")
    assert response.status_code == 302
    assert response["Location"] == f"/backups/wijk-a/{STAMPS[0]}/replace/"
    page = console.get(response["Location"])
    assert b"This replaces the live neighbourhood Wijk A" in page.content
    assert b"wijk-a.test" in page.content  # the domains it has now
    wrong = console.post(response["Location"], {"confirm_slug": "wijk-b"})
    assert wrong.status_code == 400
    assert not OperationJob.objects.exists()


def test_back_up_now_starts_a_job_and_shows_its_page(backups, console, cast) -> None:
    response = console.post("/backups/wijk-a/back-up/")
    job = OperationJob.objects.get()
    assert response["Location"] == f"/backups/jobs/{job.pk}/"
    assert job.kind == "backup" and job.request == {"slug": "wijk-a"}
    assert job.requested_by == cast.operator.user
    page = console.get(response["Location"])
    assert page.status_code == 200 and b"<h1>Backup of wijk-a</h1>" in page.content
    assert console.post("/backups/oud-west/back-up/").status_code == 404  # deleted


@pytest.mark.parametrize(
    ("request_", "heading"),
    [
        ({"source": "wijk-a", "slug": "wijk-a-kopie", "replace": False}, "Restore of wijk-a as"),
        ({"source": "oud-west", "slug": "oud-west", "replace": False}, "Restore of oud-west<"),
        ({"source": "wijk-a", "slug": "wijk-a", "replace": True}, "Replacement of wijk-a by its"),
    ],
)
def test_a_restore_jobs_heading_says_what_it_does(console, cast, request_, heading) -> None:
    job = OperationJob.objects.create(
        kind="restore",
        request={**request_, "backup": STAMPS[0], "domains": None},
        requested_by=cast.operator.user,
    )
    page = console.get(f"/backups/jobs/{job.pk}/").content.decode()
    assert f"<h1>{heading}" in page
    assert " as wijk-a<" not in page and " as oud-west<" not in page
