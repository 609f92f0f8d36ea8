"""`migrate` over many neighbourhoods: only schemas that are behind are migrated, found with a
constant number of queries; a new migration reaches every schema and the blueprint."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django_tenants.signals import schema_pre_migration
from django_tenants.utils import schema_context

from tenants.audit import migrations as audit_migrations
from tijdvoorelkaar.neighbourhoods import blueprint as blueprint_module
from tijdvoorelkaar.neighbourhoods.migrating import changes_models, schemas_behind
from tijdvoorelkaar.neighbourhoods.models import Blueprint


def _leaf(app: str) -> str:
    """The app's newest migration on disk: the tests must not go stale when one is added."""
    (leaf,) = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes(app)
    return leaf[1]


def _before_leaf(app: str) -> str:
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    node = graph.node_map[(app, _leaf(app))]
    (parent,) = [other.key[1] for other in node.parents if other.key[0] == app]
    return parent


AUDIT_LEAF = _leaf("audit")
PROBE_NAME = f"{int(AUDIT_LEAF[:4]) + 1:04d}_migrate_probe"
PROBE = Path(audit_migrations.__file__).parent / f"{PROBE_NAME}.py"
PROBE_SOURCE = f"""from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "{AUDIT_LEAF}")]
    operations = [
        migrations.RunSQL("CREATE TABLE migrate_probe (id bigint)", "DROP TABLE migrate_probe")
    ]
"""


def _schemas(cast) -> list[str]:  # type: ignore[no-untyped-def]
    return [cast.a.neighbourhood.schema_name, cast.b.neighbourhood.schema_name]


def _unapplied(schema: str) -> list[str]:
    with schema_context(schema):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [migration.name for migration, _backwards in plan]


@pytest.mark.django_db
def test_up_to_date_schemas_are_found_with_the_same_queries_for_one_or_many(cast) -> None:
    with CaptureQueriesContext(connection) as one:
        assert schemas_behind(_schemas(cast)[:1]) == []
    with CaptureQueriesContext(connection) as two:
        assert schemas_behind(_schemas(cast)) == []
    # Not counted: django-tenants' SET search_path, issued once after an earlier test's switch.
    counted = [[q for q in run if not q["sql"].startswith("SET search_path")] for run in (one, two)]
    assert len(counted[0]) == len(counted[1]) == 3


@pytest.mark.django_db
def test_a_schema_missing_a_migration_or_its_table_is_behind(cast) -> None:
    a, b = _schemas(cast)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {a}.django_migrations WHERE app = 'market'")  # noqa: S608
        cursor.execute('CREATE SCHEMA "nb_never_migrated"')
    assert schemas_behind([a, b, "nb_never_migrated"]) == [a, "nb_never_migrated"]


def test_only_migrations_that_change_models_refresh_content_types() -> None:
    loader = MigrationLoader(None)
    add_field = loader.get_migration("market", "0002_ad_rejection_reason")
    create_models = loader.get_migration("market", "0001_initial")
    assert not changes_models([(add_field, False)])
    assert changes_models([(add_field, False), (create_models, False)])
    assert changes_models(None)  # a flush: nothing known, so create them


@pytest.fixture
def committed(cast, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        yield


def test_migrate_brings_a_schema_behind_forward_and_skips_the_rest(cast, committed) -> None:
    a, b = _schemas(cast)
    call_command("migrate_schemas", "market", _before_leaf("market"), schema_name=a, verbosity=0)
    migrated: list[str] = []

    def record(sender, schema_name, **kwargs):  # type: ignore[no-untyped-def]
        migrated.append(schema_name)

    schema_pre_migration.connect(record)
    output = io.StringIO()
    try:
        assert _leaf("market") in _unapplied(a)  # and what depends on it (stories)
        call_command("migrate", interactive=False, stdout=output)
    finally:
        schema_pre_migration.disconnect(record)
        # Whatever failed above, the session's cast must not stay behind for later tests.
        call_command("migrate_schemas", "market", schema_name=a, verbosity=0)
    assert migrated == ["public", a]  # b was up to date: never visited
    assert "2 neighbourhood schema(s): 1 up to date, 1 to migrate (standard)." in output.getvalue()
    assert _unapplied(a) == _unapplied(b) == []


@pytest.fixture
def probe_migration(committed) -> Iterator[None]:  # type: ignore[no-untyped-def]
    PROBE.write_text(PROBE_SOURCE)
    _forget_migrations_on_disk()
    try:
        yield
    finally:
        if schemas_behind(["tve_blueprint"]) == []:  # reverse it wherever it was applied
            call_command("migrate_schemas", "audit", AUDIT_LEAF, tenant=True, verbosity=0)
            call_command(
                "migrate_schemas", "audit", AUDIT_LEAF, schema_name="tve_blueprint", verbosity=0
            )
        PROBE.unlink()
        _forget_migrations_on_disk()
        blueprint_module.current_blueprint()  # rebuilt without the probe, for later tests


def _forget_migrations_on_disk() -> None:
    import importlib

    importlib.invalidate_caches()
    sys.modules.pop(f"tenants.audit.migrations.{PROBE_NAME}", None)
    blueprint_module._disk_migrations.cache_clear()
    blueprint_module.migration_state.cache_clear()


@pytest.mark.alone  # its migration file on disk would reach every other process of the run
def test_a_new_migration_reaches_every_schema_and_the_blueprint(cast, probe_migration) -> None:
    output = io.StringIO()
    call_command("migrate", interactive=False, stdout=output)
    assert "2 neighbourhood schema(s): 0 up to date, 2 to migrate (parallel)." in (
        output.getvalue()
    )
    blueprint = Blueprint.objects.get()
    assert blueprint.migration_state == blueprint_module.migration_state()
    assert "migrate_probe" in blueprint.sql
    for schema in [*_schemas(cast), "tve_blueprint"]:
        assert _unapplied(schema) == []
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [f"{schema}.migrate_probe"])
            assert cursor.fetchone()[0] is not None
    assert schemas_behind(_schemas(cast)) == []
