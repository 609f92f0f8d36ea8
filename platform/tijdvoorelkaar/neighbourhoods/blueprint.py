"""The blueprint: a fully migrated neighbourhood schema, kept as SQL and replayed to provision.

Replaying the DDL of a migrated schema in one transaction is much faster than running every
migration (docs/adr/0003-provisioning-by-blueprint.md). The blueprint schema itself is migrated
by every `migrate`, and its SQL is rebuilt whenever the tenant migrations on disk change, so a
new neighbourhood always matches a migrated one.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from tijdvoorelkaar.plain_rows import rewrite_sql

from .models import Blueprint

BUILD_LOCK = 7_211_001  # pg_advisory lock: one blueprint build at a time
# Session settings in pg_dump's output would change our connection's state (its search_path
# above all, which django-tenants caches); psql meta-commands are not SQL.
_SESSION_LINE = re.compile(
    r"^(SET (statement_timeout|lock_timeout|idle_in_transaction_session_timeout|"
    r"transaction_timeout|client_encoding|standard_conforming_strings|check_function_bodies|"
    r"xmloption|client_min_messages|row_security|default_tablespace|"
    r"default_table_access_method) = .*;|SELECT pg_catalog\.set_config\('search_path'.*;|"
    r"\\(un)?restrict \S+)$",
    re.MULTILINE,
)
# pg_dump's rows of a table: `COPY <table> (<columns>) FROM stdin;`, a line a row, `\.`.
_ROWS = re.compile(r"^(COPY [^\n]+ FROM stdin);\n(.*?)^\\\.\n", re.MULTILINE | re.DOTALL)


@cache
def _disk_migrations() -> dict[tuple[str, str], Any]:
    """Every app's migrations as found on disk: read once, they do not change while running."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    return loader.disk_migrations


@cache
def migration_state() -> str:
    """A fingerprint of the tenant apps' migration files (names and contents)."""
    digest = hashlib.sha256()
    for label, name in sorted(_tenant_migrations_on_disk()):
        migration = _disk_migrations()[label, name]
        digest.update(f"{label}.{name}\n".encode())
        digest.update(Path(sys.modules[migration.__module__].__file__ or "").read_bytes())
    return digest.hexdigest()


class OutdatedCode(RuntimeError):
    """This process runs older code than the database was migrated with (a deploy is under
    way): it must not provision, or it would create a schema that misses migrations."""


def current_blueprint() -> Blueprint:
    """The blueprint for the code that is running, rebuilt first if it is missing or stale."""
    state = migration_state()
    blueprint = Blueprint.objects.filter(migration_state=state).first()
    if blueprint is not None:
        return blueprint
    if _unknown_migrations_applied():
        raise OutdatedCode("The database is newer than this code; provision after the deploy.")
    return build_blueprint(state)


def _tenant_migrations_on_disk() -> set[tuple[str, str]]:
    tenant_labels = {
        config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS
    }
    return {key for key in _disk_migrations() if key[0] in tenant_labels}


def _unknown_migrations_applied() -> bool:
    """Whether the blueprint schema holds migrations this code does not know."""
    name = settings.BLUEPRINT_SCHEMA
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f'"{name}".django_migrations'])
        if cursor.fetchone()[0] is None:
            return False
        cursor.execute(f'SELECT app, name FROM "{name}".django_migrations')  # noqa: S608
        applied = {(app, migration) for app, migration in cursor.fetchall()}
    # migrate records every app's migrations in a tenant schema, shared ones too.
    return bool(applied - set(_disk_migrations()))


def build_blueprint(state: str | None = None) -> Blueprint:
    """Migrate the blueprint schema from scratch and store its SQL.

    Must run outside a transaction: pg_dump reads the migrated schema from its own connection.
    """
    if connection.in_atomic_block:
        raise RuntimeError("build_blueprint needs its work committed: pg_dump reads it elsewhere.")
    state = state or migration_state()
    name = settings.BLUEPRINT_SCHEMA
    # The lock lives on a connection of its own: migrate_schemas closes the default one.
    holder = connection.copy()
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [BUILD_LOCK])
        existing = Blueprint.objects.filter(migration_state=state).first()
        if existing:  # another process built it while we waited
            return existing
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE; CREATE SCHEMA "{name}"')
        call_command(
            "migrate_schemas",
            schema_name=name,
            tenant=True,
            interactive=False,
            verbosity=0,
            skip_blueprint=True,
        )
        # CREATE TABLE makes a TOAST table before pg_dump's SET STORAGE PLAIN follows: the
        # replay rewrites the tables stored plain, as their migration did (plain_rows.py).
        sql = _dump_schema(name) + rewrite_sql(name)
        with transaction.atomic():
            Blueprint.objects.all().delete()
            return Blueprint.objects.create(migration_state=state, sql=sql)
    finally:
        holder.close()  # releases the session lock
        connection.set_schema_to_public()


def replay_blueprint(blueprint: Blueprint, schema_name: str) -> None:
    """Create `schema_name` as a copy of the blueprint, in the caller's transaction.

    A table's rows go in by COPY, in the transaction that created the table: PostgreSQL then
    writes no free space map for it (24 kB in every schema for django_migrations, whose rows
    fill two pages). The statements between run as one string each."""
    sql = re.sub(rf"\b{re.escape(settings.BLUEPRINT_SCHEMA)}\b", schema_name, blueprint.sql)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        done = 0
        for table in _ROWS.finditer(sql):
            cursor.execute(sql[done : table.start()])
            with cursor.cursor.copy(table[1]) as copy:  # psycopg's COPY … FROM STDIN
                copy.write(table[2])
            done = table.end()
        cursor.execute(sql[done:])


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL client tool matching the server: the embedded one when in use."""
    for folder in (os.environ.get("PG_BIN_DIR"), os.environ.get("TVE_EMBEDDED_PG_BIN")):
        if folder and (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if found:
        return found
    from pgserver._commands import POSTGRES_BIN_PATH  # the wheel's own client tools (v16)

    bundled = Path(POSTGRES_BIN_PATH) / name
    if bundled.is_file():
        return str(bundled)
    raise RuntimeError(f"{name} not found: set PG_BIN_DIR to PostgreSQL's bin folder.")


def pg_connection_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return args, env


def _dump_schema(name: str) -> str:
    args, env = pg_connection_args()
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        [
            pg_tool("pg_dump"),
            *args,
            "--schema",
            name,
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--no-publications",
            "--no-subscriptions",
            "--no-security-labels",
            "--no-tablespaces",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    sql = _SESSION_LINE.sub("", result.stdout)
    return _ROWS.sub(lambda table: table[0] if table[2] else "", sql)  # empty tables: no COPY
