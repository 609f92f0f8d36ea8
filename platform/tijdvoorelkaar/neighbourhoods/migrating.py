"""What keeps `migrate` linear in the number of neighbourhoods (docs/operations/scaling.md).

Three costs used to grow with every schema, and faster than linearly:
- Django asks whether `django_migrations` exists by listing every table the connection can
  see, a scan of all of pg_class (hundreds of thousands of rows at 500 schemas), several times
  per schema. `lean_per_schema_work()` asks PostgreSQL for that one table in the current
  schema instead (`to_regclass`).
- Content types and permissions were re-checked in every schema after every migrate (about 70
  queries each), although they only change when a migration adds, removes or renames a model
  or changes its options. They now run only then.
- Each schema's `migrate` built and rendered the same project state twice (before and after
  applying), about 0.5 CPU-s for some 60 models, although every schema behind has the same
  applied migrations. `_StateReuse` keeps both per process, keyed by the migration graph and
  the applied set, and hands out copies.
- Every schema was migrated even when nothing was to do. `schemas_behind()` finds, in one
  query over all schemas, those whose applied migrations differ from the blueprint's (which is
  migrated from scratch with the running code); only those are migrated.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import connection, transaction
from django.db.migrations import Migration, operations
from django.db.migrations.executor import MigrationExecutor as DjangoMigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState
from django.db.models.signals import post_migrate
from django_tenants.migration_executors.base import MigrationExecutor
from django_tenants.migration_executors.multiproc import get_pool, run_migrations_percent

from .blueprint import migration_state
from .models import Blueprint

_PERMISSIONS_UID = "django.contrib.auth.management.create_permissions"  # auth's dispatch_uid
_MODEL_OPERATIONS = (
    operations.CreateModel,
    operations.DeleteModel,
    operations.RenameModel,
    operations.AlterModelOptions,  # custom permissions live in a model's options
)
_active = False


def _has_table_in_current_schema(recorder: MigrationRecorder) -> bool:
    """MigrationRecorder.has_table, asking for the one table instead of listing them all."""
    if recorder._has_table:
        return True
    quote = recorder.connection.ops.quote_name
    table = f"{quote(recorder.connection.schema_name)}.{quote(recorder.Migration._meta.db_table)}"
    with recorder.connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [table])
        recorder._has_table = cursor.fetchone()[0] is not None
    return recorder._has_table


def changes_models(plan: list[tuple[Any, bool]] | None) -> bool:
    """Whether a migrate plan adds, removes, renames or re-options a model (no plan: unknown,
    so yes)."""
    if plan is None:
        return True
    for migration, _backwards in plan:
        for operation in migration.operations:
            nested = getattr(operation, "state_operations", ())  # SeparateDatabaseAndState
            if any(isinstance(op, _MODEL_OPERATIONS) for op in (operation, *nested)):
                return True
    return False


def _contenttypes_when_models_change(plan: Any = None, **kwargs: Any) -> None:
    if changes_models(plan):
        create_contenttypes(plan=plan, **kwargs)


def _permissions_when_models_change(plan: Any = None, **kwargs: Any) -> None:
    if changes_models(plan):
        create_permissions(plan=plan, **kwargs)


class _StateReuse:
    """Project states by what determines them (the migration graph, the applied migrations,
    the plan), rendered once per process and handed out as copies. A state is a pure function
    of those, so a copy is what building it again would give."""

    def __init__(self) -> None:
        self.states: dict[tuple[Any, ...], Any] = {}
        self.create = DjangoMigrationExecutor._create_project_state
        self.migrate = DjangoMigrationExecutor.migrate
        self.apply = Migration.apply
        self.clone = ProjectState.clone
        self.mutate_state = Migration.mutate_state
        self.originals = {
            "_create_project_state": self.create,
            "migrate": self.migrate,
            "apply": self.apply,
            "clone": self.clone,
            "mutate_state": self.mutate_state,
        }

    def patches(self) -> list[tuple[type, str, Any]]:
        """(class, method, replacement): plain functions, so they bind like the originals."""
        return [
            (
                DjangoMigrationExecutor,
                "_create_project_state",
                lambda ex, with_applied_migrations=False: self.create_project_state(
                    ex, with_applied_migrations
                ),
            ),
            (
                DjangoMigrationExecutor,
                "migrate",
                lambda ex, targets, plan=None, **kw: self.migrate_then_reuse(
                    ex, targets, plan, **kw
                ),
            ),
            (
                Migration,
                "apply",
                lambda migration, state, editor, **kw: self.apply_reusing(
                    migration, state, editor, **kw
                ),
            ),
            (
                Migration,
                "mutate_state",
                lambda migration, state, preserve=True: self.mutate_state_forgetting_key(
                    migration, state, preserve
                ),
            ),
            (ProjectState, "clone", lambda state: self.clone_keeping_key(state)),
        ]

    def _copy(self, key: tuple[Any, ...], build: Any) -> Any:
        if key not in self.states:
            if len(self.states) > 200:  # another graph (a test, the benchmark): forget the old
                self.states.clear()
            state = build()
            state.clear_delayed_apps_cache()
            state.apps  # noqa: B018 - render once, here
            state.is_delayed = False
            self.states[key] = state
        state = self.states[key].clone()
        state.reuse_key = key  # what the state is made of: states derived from it are too
        return state

    @staticmethod
    def _key(executor: Any, *more: Any) -> tuple[Any, ...]:
        loader = executor.loader
        return (
            frozenset(loader.graph.nodes),
            frozenset(loader.unmigrated_apps),
            frozenset(loader.applied_migrations),
            *more,
        )

    def create_project_state(self, executor: Any, with_applied_migrations: bool = False) -> Any:
        key = self._key(executor, "before", with_applied_migrations)
        return self._copy(key, lambda: self.create(executor, with_applied_migrations))

    def migrate_then_reuse(self, executor: Any, targets: Any, plan: Any = None, **kwargs: Any):
        """Migrate as Django does; return the resulting state rendered once per process."""
        steps = None if plan is None else tuple((m.app_label, m.name, b) for m, b in plan)
        # The state passed in is the one built from the applied migrations (the key's part).
        flags = (kwargs.get("fake", False), kwargs.get("fake_initial", False))
        key = self._key(executor, "after", steps, flags)
        state = self.migrate(executor, targets, plan=plan, **kwargs)
        return self._copy(key, lambda: state)

    def clone_keeping_key(self, state: Any) -> Any:
        """A copy is made of what its original is made of."""
        copy = self.clone(state)
        if "reuse_key" in state.__dict__:
            copy.reuse_key = state.reuse_key
        return copy

    def mutate_state_forgetting_key(self, migration: Any, state: Any, preserve: bool = True):
        """A state changed outside `apply_reusing` is no longer what its key says."""
        result = self.mutate_state(migration, state, preserve)
        result.__dict__.pop("reuse_key", None)
        return result

    def apply_reusing(self, migration: Any, state: Any, schema_editor: Any, **kwargs: Any):
        """Migration.apply, with each operation's resulting state taken from the copies when
        the incoming state is one of them (Django's loop otherwise unchanged)."""
        key = getattr(state, "reuse_key", None)
        if key is None or kwargs.get("collect_sql"):
            return self.apply(migration, state, schema_editor, **kwargs)
        for index, operation in enumerate(migration.operations):
            old_state, step = state, (*key, migration.app_label, migration.name, index)

            def forwards(before: Any = state, operation: Any = operation) -> Any:
                after = before.clone()
                operation.state_forwards(migration.app_label, after)
                return after

            state = self._copy(step, forwards)
            atomic_operation = operation.atomic or (
                migration.atomic and operation.atomic is not False
            )
            if not schema_editor.atomic_migration and atomic_operation:
                with transaction.atomic(schema_editor.connection.alias):
                    operation.database_forwards(
                        migration.app_label, schema_editor, old_state, state
                    )
            else:
                operation.database_forwards(migration.app_label, schema_editor, old_state, state)
            key = step
        return state


@contextmanager
def lean_per_schema_work() -> Iterator[None]:
    """While migrating: the one-table check and content types/permissions only when models
    change. Worker processes forked inside inherit it; nesting is harmless."""
    global _active  # noqa: PLW0603 - one switch per process, as the patched class is
    if _active:
        yield
        return
    original_has_table = MigrationRecorder.has_table
    MigrationRecorder.has_table = _has_table_in_current_schema  # type: ignore[method-assign]
    reuse = _StateReuse()
    patches = reuse.patches()
    for owner, name, replacement in patches:
        setattr(owner, name, replacement)
    # Disconnected and connected again in the same order: permissions need content types.
    post_migrate.disconnect(create_contenttypes)
    post_migrate.disconnect(dispatch_uid=_PERMISSIONS_UID)
    post_migrate.connect(_contenttypes_when_models_change, dispatch_uid="tve.contenttypes")
    post_migrate.connect(_permissions_when_models_change, dispatch_uid="tve.permissions")
    _active = True
    try:
        yield
    finally:
        _active = False
        post_migrate.disconnect(dispatch_uid="tve.contenttypes")
        post_migrate.disconnect(dispatch_uid="tve.permissions")
        post_migrate.connect(create_contenttypes)
        post_migrate.connect(create_permissions, dispatch_uid=_PERMISSIONS_UID)
        MigrationRecorder.has_table = original_has_table  # type: ignore[method-assign]
        for owner, name, _replacement in patches:
            setattr(owner, name, reuse.originals[name])


def schemas_behind(schemas: Iterable[str]) -> list[str]:
    """The schemas (in the given order) whose applied migrations are not exactly the
    blueprint's; all of them when the blueprint is not of the running code. Two queries,
    whatever the number of schemas."""
    schemas = list(schemas)
    if not Blueprint.objects.filter(migration_state=migration_state()).exists():
        return schemas
    with connection.cursor() as cursor:
        # A schema without the table (never migrated) is behind; this lookup uses an index.
        cursor.execute(
            "SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid"
            " AND c.relname = 'django_migrations' WHERE n.nspname = ANY(%s)",
            [schemas],
        )
        migrated = [row[0] for row in cursor.fetchall()]
        if not migrated:
            return schemas
        each = " UNION ALL ".join(
            f"SELECT %s AS schema, {_FINGERPRINT}{_q(name)}.django_migrations" for name in migrated
        )
        target = f"SELECT {_FINGERPRINT}{_q(settings.BLUEPRINT_SCHEMA)}.django_migrations"
        cursor.execute(
            f"SELECT schema FROM ({each}) AS applied WHERE f = ({target})",  # noqa: S608
            migrated,
        )
        up_to_date = {row[0] for row in cursor.fetchall()}
    return [name for name in schemas if name not in up_to_date]


# Names come from pg_namespace and settings, quoted: not user input.
_FINGERPRINT = "md5(string_agg(app || '.' || name, ',' ORDER BY app, name)) AS f FROM "


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class ParallelExecutor(MigrationExecutor):
    """django-tenants' multiprocessing executor with a pool that is closed and joined once
    the work is done: theirs is left to the garbage collector, whose clean-up of live workers
    can hang the command (seen here). `--executor parallel`, the default."""

    codename = "parallel"

    def run_migrations(self, tenants: Iterable[str] | None = None) -> None:
        schemas = list(tenants or [])
        if not schemas:
            return
        connection.close()  # workers are forked: none may share this connection
        run = functools.partial(
            run_migrations_percent, self.args, self.options, self.codename, len(schemas)
        )
        pool = get_pool()
        try:
            pool.map(run, enumerate(schemas), settings.TENANT_MULTIPROCESSING_CHUNKS)
            pool.close()
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
