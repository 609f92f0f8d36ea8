"""The restore drill for real: a neighbourhood with the demo's data is backed up, deleted and
restored; every table's rows come back (count and checksum), its sequences carry on where
they were, and the neighbourhoods beside it are not touched. pg_dump, pg_restore and psql
use their own connections, so this work commits: no test transaction; the fixture cleans up."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_exists, tenant_context

from tests.support.backups import fingerprint, schemas, without_audit
from tests.support.cast import build_place, spec_for
from tijdvoorelkaar.neighbourhoods.models import Domain, Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood
from tijdvoorelkaar.operations import backups, restoring, tasks
from tijdvoorelkaar.operations.backups import backup_neighbourhood, read_backup
from tijdvoorelkaar.operations.restoring import restore_neighbourhood
from tijdvoorelkaar.quickstart.demo_data import add_demo_content


def test_a_deleted_neighbourhood_comes_back_whole_and_the_others_are_untouched(
    committed, cast
) -> None:
    # Given a neighbourhood with the demo's people, ads and mediations, and a photo
    neighbourhood = build_place("drill-zuid", theme="default").neighbourhood
    with tenant_context(neighbourhood):
        add_demo_content(neighbourhood)
    photo = committed / "media" / "nb_drill_zuid" / "ads" / "2026" / "12" / "kat.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"not really a jpeg")
    before = fingerprint("nb_drill_zuid")
    assert before["market_ad"][0] > 0 and before["people_participant"][0] > 0
    beside = fingerprint(cast.a.neighbourhood.schema_name)

    # When it is backed up (the command), deleted, and restored from its newest backup
    out = StringIO()
    call_command("backup_neighbourhood", "drill-zuid", stdout=out)
    backup = read_backup(backups.Path(out.getvalue().strip()))
    assert backup.dump.is_file() and backup.media.is_file()
    delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug="drill-zuid")
    photo.unlink()
    assert not schema_exists("nb_drill_zuid")
    call_command("restore_neighbourhood", "drill-zuid", stdout=StringIO())

    # Then every table holds the same rows, the site answers on its domain again, the photo
    # is back, and neighbourhood A did not change
    assert fingerprint("nb_drill_zuid") == before
    restored = Neighbourhood.objects.get(slug="drill-zuid")
    assert restored.name == "Drill Zuid" and restored.status == Neighbourhood.Status.ACTIVE
    assert Domain.objects.get(tenant=restored).domain == "drill-zuid.test"
    assert Client(HTTP_HOST="drill-zuid.test").get("/").status_code == 200
    assert photo.read_bytes() == b"not really a jpeg"
    assert fingerprint(cast.a.neighbourhood.schema_name) == beside
    assert not [name for name in schemas() if name.startswith("tve_restore_")]


def test_a_copy_restored_under_another_name_sits_beside_the_live_one(committed, cast) -> None:
    live = provision_neighbourhood(spec=spec_for("drill-live"))
    backup = backup_neighbourhood(neighbourhood=live)
    before = fingerprint("nb_drill_live")

    with pytest.raises(ValidationError) as refused:  # never over a neighbourhood that exists
        restore_neighbourhood(backup=backup)
    assert "slug" in refused.value.message_dict

    copy = restore_neighbourhood(backup=backup, slug="drill-kopie")

    assert copy.schema_name == "nb_drill_kopie" and copy.status == Neighbourhood.Status.ARCHIVED
    assert not copy.domains.exists()  # a copy to inspect, not a second site
    assert fingerprint("nb_drill_kopie") == before == fingerprint("nb_drill_live")
    assert Client(HTTP_HOST="drill-live.test").get("/").status_code == 200


def test_an_older_backup_is_migrated_forward_and_a_newer_one_refused(
    committed, monkeypatch
) -> None:
    live = provision_neighbourhood(spec=spec_for("drill-oud"))
    backup = backup_neighbourhood(neighbourhood=live)
    registry = backup.registry | {"migration_state": "written-by-older-code"}
    (backup.folder / "registry.json").write_text(json.dumps(registry))
    backup = read_backup(backup.folder)
    migrated: list[str] = []
    real_call = restoring.call_command
    monkeypatch.setattr(
        restoring,
        "call_command",
        lambda *a, **kw: migrated.append(kw["schema_name"]) or real_call(*a, **kw),
    )

    restore_neighbourhood(backup=backup, slug="drill-oud-terug")
    # migrated while still staged: nothing can reach a schema without a registry row
    assert [name[:12] for name in migrated] == ["tve_restore_"]
    assert Neighbourhood.objects.filter(slug="drill-oud-terug").exists()

    monkeypatch.setattr(restoring, "_disk_migrations", dict)  # code that knows none of it
    with translation.override("en"), pytest.raises(backups.BackupError, match="newer than this"):
        restore_neighbourhood(backup=backup, slug="drill-oud-nieuw")
    assert not schema_exists("nb_drill_oud_nieuw")
    assert not [name for name in schemas() if name.startswith("tve_restore_")]


def test_the_dump_a_deletion_wrote_brings_the_neighbourhood_back_archived(committed) -> None:
    neighbourhood = provision_neighbourhood(spec=spec_for("drill-weg"))
    before = fingerprint("nb_drill_weg")
    dump = delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug="drill-weg")

    out = StringIO()
    call_command("restore_neighbourhood", str(dump), "--domain", "drill-weg.test", stdout=out)

    restored = Neighbourhood.objects.get(slug="drill-weg")
    assert out.getvalue().strip() == "drill-weg (nb_drill_weg, archived)"
    assert (
        restored.status == Neighbourhood.Status.ARCHIVED
    )  # its settings are defaults: check first
    assert [d.domain for d in restored.domains.all()] == ["drill-weg.test"]
    after = fingerprint("nb_drill_weg")
    assert after["audit_auditevent"][0] == before["audit_auditevent"][0] + 1  # archived first
    assert without_audit(after) == without_audit(before)


def test_nightly_backups_run_per_neighbourhood_and_old_ones_are_pruned(committed) -> None:
    neighbourhood = provision_neighbourhood(spec=spec_for("drill-nacht"))
    with tenant_context(neighbourhood):
        first = tasks.back_up_neighbourhood.apply().get()
        second = tasks.back_up_neighbourhood.apply().get()
    old = backups.Path(first)
    old.rename(old.with_name("20200101-023000-000000"))

    assert tasks.prune_old_backups.apply().get() == 1
    assert [p.name for p in (committed / "backups" / "drill-nacht").iterdir()] == [
        backups.Path(second).name
    ]


@pytest.mark.django_db  # also makes pytest-django create the test database the others use
def test_beat_backs_up_every_neighbourhood_nightly_and_prunes(settings) -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    nightly = schedule["back-up-neighbourhoods"]
    assert nightly["task"] == "platform.fan_out"
    assert nightly["args"] == ("operations.back_up_neighbourhood",)
    assert schedule["prune-backups"]["task"] == "operations.prune_backups"
