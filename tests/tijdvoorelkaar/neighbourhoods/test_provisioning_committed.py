"""Provisioning that must commit for real: concurrency and rebuilding the blueprint (whose
pg_dump reads from its own connection). No test transaction here; each test cleans up."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django_tenants.utils import schema_exists

from tijdvoorelkaar.neighbourhoods import blueprint as blueprint_module
from tijdvoorelkaar.neighbourhoods.models import Blueprint, Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import delete_neighbourhood, provision_neighbourhood
from tijdvoorelkaar.testing import spec_for


@pytest.fixture
def committed(cast, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        yield
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith="echt-"):
            delete_neighbourhood(neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug)


def test_concurrent_provisioning_is_serialised_and_both_succeed(committed) -> None:
    errors: list[BaseException] = []

    def provision(slug: str) -> None:
        try:
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
