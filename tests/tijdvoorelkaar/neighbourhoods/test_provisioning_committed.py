"""Provisioning that must commit for real: concurrency and rebuilding the blueprint (whose
pg_dump reads from its own connection). No test transaction here; each test cleans up."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections
from django_tenants.utils import schema_exists

from tests.support.cast import spec_for
from tijdvoorelkaar.neighbourhoods import blueprint as blueprint_module
from tijdvoorelkaar.neighbourhoods import services
from tijdvoorelkaar.neighbourhoods.models import Blueprint, Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood


@pytest.fixture
def committed(cast, django_db_blocker, settings, tmp_path):  # type: ignore[no-untyped-def]
    # The clean-up below writes a pg_dump per neighbourhood: keep those out of .data/backups.
    settings.BACKUP_DIR = tmp_path / "backups"
    with django_db_blocker.unblock():
        yield
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith="echt-"):
            delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug)


def test_concurrent_provisioning_is_serialised_and_both_succeed(committed, monkeypatch) -> None:
    # Both threads start provisioning at the same moment, and each replay is made slow enough
    # that, without the provisioning lock, the two replays would certainly overlap.
    start_together = threading.Barrier(2)
    replays: list[tuple[float, float]] = []
    errors: list[BaseException] = []
    real_replay = services.replay_blueprint

    def slow_replay(blueprint, schema_name):  # type: ignore[no-untyped-def]
        start = time.monotonic()
        real_replay(blueprint, schema_name)
        time.sleep(0.2)
        replays.append((start, time.monotonic()))

    monkeypatch.setattr(services, "replay_blueprint", slow_replay)

    def provision(slug: str) -> None:
        try:
            start_together.wait(timeout=10)
            provision_neighbourhood(spec=spec_for(slug))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=provision, args=(slug,)) for slug in ("echt-1", "echt-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert schema_exists("nb_echt_1") and schema_exists("nb_echt_2")
    assert len(replays) == 2
    first, second = sorted(replays)
    assert first[1] <= second[0], f"replays overlapped: {first} and {second}"


def test_a_stale_blueprint_is_rebuilt_before_use(committed, monkeypatch) -> None:
    current = Blueprint.objects.get()
    monkeypatch.setattr(blueprint_module, "migration_state", lambda: "changed-migrations")
    try:
        neighbourhood = provision_neighbourhood(spec=spec_for("echt-nieuw"))
        rebuilt = Blueprint.objects.get()
        assert rebuilt.migration_state == "changed-migrations"
        assert rebuilt.pk != current.pk
        assert schema_exists(neighbourhood.schema_name)
    finally:
        monkeypatch.undo()
        blueprint_module.build_blueprint()
    assert Blueprint.objects.get().migration_state == blueprint_module.migration_state()
