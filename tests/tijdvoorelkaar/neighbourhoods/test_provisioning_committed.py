"""Provisioning that must commit for real: concurrency and rebuilding the blueprint (whose
pg_dump reads from its own connection). No test transaction here; each test cleans up."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_exists

from tests.support.cast import spec_for
from tijdvoorelkaar.neighbourhoods import blueprint as blueprint_module
from tijdvoorelkaar.neighbourhoods import spares
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


def test_concurrent_provisionings_with_the_pool_empty_replay_outside_the_lock(
    committed, monkeypatch
) -> None:
    # Both threads start at the same moment and find no spare: each replays the blueprint
    # without holding the provisioning lock (refills can publish, the other can go on), then
    # both succeed, one after the other under the lock.
    start_together = threading.Barrier(2)
    lock_held_during_replay: list[bool] = []
    errors: list[BaseException] = []
    real_replay = spares.replay_blueprint

    def replay_and_probe(blueprint, schema_name):  # type: ignore[no-untyped-def]
        real_replay(blueprint, schema_name)
        with connection.cursor() as cursor:  # this thread's connection, in its transaction
            cursor.execute(
                "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory'"
                " AND pid = pg_backend_pid() AND objid = %s)",
                [spares.PROVISIONING_LOCK],
            )
            lock_held_during_replay.append(cursor.fetchone()[0])

    monkeypatch.setattr(spares, "replay_blueprint", replay_and_probe)

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
    assert lock_held_during_replay == [False, False]


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


def test_a_refill_replays_while_the_provisioning_lock_is_free(
    committed, settings, monkeypatch
) -> None:
    # Another connection (a provisioning) can take the lock during every replay of a refill,
    # and the spares appear only once published, under their final names. Committed: in a
    # test transaction the lock of the refill's first step would last until its end.
    settings.PROVISIONING_SPARE_SCHEMAS = 2
    other = connection.copy()
    lock_free_during_replay = []
    real_replay = spares.replay_blueprint

    def replay_and_probe(blueprint, schema_name):  # type: ignore[no-untyped-def]
        real_replay(blueprint, schema_name)
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [spares.PROVISIONING_LOCK])
            lock_free_during_replay.append((schema_name, cursor.fetchone()[0]))
            cursor.execute("SELECT pg_advisory_unlock(%s)", [spares.PROVISIONING_LOCK])

    monkeypatch.setattr(spares, "replay_blueprint", replay_and_probe)
    try:
        assert spares.refill_spares() == 2
    finally:
        other.close()
        settings.PROVISIONING_SPARE_SCHEMAS = 0
        published = spares._spares()
        spares.refill_spares()  # drops them again
    assert [free for _name, free in lock_free_during_replay] == [True, True]
    assert all(name.startswith(spares.BUILDING_PREFIX) for name, _free in lock_free_during_replay)
    assert len(published) == 2


def test_a_refill_that_finds_the_pool_filled_meanwhile_publishes_nothing(
    committed, settings, monkeypatch
) -> None:
    settings.PROVISIONING_SPARE_SCHEMAS = 1
    real_replay = spares.replay_blueprint
    others: list[int] = []

    def other_refill() -> None:
        try:
            others.append(spares.refill_spares())
        finally:
            connections.close_all()

    def replay_then_let_another_refill_finish(blueprint, schema_name):  # type: ignore[no-untyped-def]
        real_replay(blueprint, schema_name)
        if threading.current_thread() is threading.main_thread():
            other = threading.Thread(target=other_refill)
            other.start()
            other.join()

    monkeypatch.setattr(spares, "replay_blueprint", replay_then_let_another_refill_finish)
    try:
        assert spares.refill_spares() == 0
        assert others == [1]
        assert len(spares._spares()) == 1
        assert _building() == 0  # the surplus replay was rolled back
    finally:
        settings.PROVISIONING_SPARE_SCHEMAS = 0
        spares.refill_spares()


def test_a_refill_leaves_the_spares_of_a_bulk_provisioning_alone(committed, settings) -> None:
    settings.PROVISIONING_SPARE_SCHEMAS = 1
    try:
        with spares.spares_for(3) as built:
            assert built == 3  # by two connections at once, none too many
            # A refill elsewhere (the worker's) would drop spares beyond the pool size.
            others: list[int] = []

            def refill_elsewhere() -> None:
                try:
                    others.append(spares.refill_spares())
                finally:
                    connections.close_all()

            other = threading.Thread(target=refill_elsewhere)
            other.start()
            other.join()
            assert others == [0]
            assert len(spares._spares()) == 3
        spares.refill_spares()  # the batch is over: back to the pool size
        assert len(spares._spares()) == 1
    finally:
        settings.PROVISIONING_SPARE_SCHEMAS = 0
        spares.refill_spares()


def test_the_worker_refill_tops_the_pool_up_and_no_further(committed, settings) -> None:
    settings.PROVISIONING_SPARE_SCHEMAS = 3
    try:
        assert spares.refill_pool() == 3  # by two builders at once, none too many
        assert len(spares._spares()) == 3
        assert _building() == 0
    finally:
        settings.PROVISIONING_SPARE_SCHEMAS = 0
        spares.refill_spares()


def test_a_refill_that_finds_every_builder_slot_taken_leaves_the_work_to_their_holders(
    committed, settings
) -> None:
    settings.PROVISIONING_SPARE_SCHEMAS = 1
    holder = connection.copy()
    try:
        with holder.cursor() as cursor:
            for slot in range(spares.BUILDERS):
                cursor.execute("SELECT pg_advisory_lock(%s)", [spares.BUILDER_LOCK + slot])
        assert spares.refill_pool() == 0
        assert spares._spares() == []
    finally:
        holder.close()
        settings.PROVISIONING_SPARE_SCHEMAS = 0
        spares.refill_spares()


def test_a_builder_looks_at_the_pool_again_after_letting_its_slot_go(
    committed, settings, monkeypatch
) -> None:
    # A provisioning takes the new spare while the builder still holds its slot: the refill
    # that provisioning queues finds the slot taken and leaves; the builder must see the gap.
    settings.PROVISIONING_SPARE_SCHEMAS = 1
    real_refill = spares.refill_spares
    taken: list[str] = []

    def refill_then_a_spare_is_taken(**kwargs):  # type: ignore[no-untyped-def]
        made = real_refill(**kwargs)
        if made and not taken:
            taken.append(spares._spares()[0])
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{taken[0]}" CASCADE')
        return made

    monkeypatch.setattr(spares, "refill_spares", refill_then_a_spare_is_taken)
    try:
        assert spares.refill_pool() == 2
        assert len(spares._spares()) == 1
        assert taken[0] not in spares._spares()
    finally:
        settings.PROVISIONING_SPARE_SCHEMAS = 0
        real_refill()


def _building() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_namespace WHERE starts_with(nspname, %s)",
            [spares.BUILDING_PREFIX],
        )
        return cursor.fetchone()[0]
