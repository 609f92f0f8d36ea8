"""What Citus schema-based sharding (Citus 12+) would ask of the schema and the queries,
checked here on plain PostgreSQL (docs/adr/0009-citus.md):

- no foreign key between a neighbourhood schema and any other schema: a distributed schema
  may point only into itself (and to reference tables; we have no such key today);
- bigint keys and sequences, in the neighbourhood's own schema;
- no statement that reads two neighbourhoods, or a neighbourhood's tables joined with a
  `public` table that would not be a reference table;
- schema changes only through migrations (and the few modules that copy, rename or drop
  whole schemas); a schema created on its own, its tables in statements of their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tests.support.factories import published_ad
from tijdvoorelkaar.neighbourhoods.blueprint import current_blueprint

pytestmark = pytest.mark.django_db

ROOT = Path(settings.REPO_ROOT)
# `public` tables a neighbourhood's statement may name: they would become reference tables
# (small, read-mostly, replicated to every node). Empty today: the host lookup and the
# neighbourhood's settings are read in statements of their own.
REFERENCE_TABLES: set[str] = set()
# django-otp's tables, in every schema, whose keys its app config makes `integer`; they are
# filled from the schema's bigint sequence (docs/adr/0010) like every other key, so a
# neighbourhood would need 2^31 keys in all before they could not take the next one.
INTEGER_KEYS_ALLOWED = {
    "otp_static_staticdevice",
    "otp_static_statictoken",
    "otp_totp_totpdevice",
}
# Modules that create, rename or drop whole schemas (provisioning, the spare pool, deletion,
# restore), and the migrations' operations for the schema's key sequence. Any other DDL
# belongs in a migration.
SCHEMA_DDL_MODULES = {
    "platform/tijdvoorelkaar/neighbourhoods/blueprint.py",
    "platform/tijdvoorelkaar/neighbourhoods/spares.py",
    "platform/tijdvoorelkaar/neighbourhoods/services.py",
    "platform/tijdvoorelkaar/neighbourhoods/migrating.py",
    "platform/tijdvoorelkaar/operations/backups.py",
    "platform/tijdvoorelkaar/operations/restoring.py",
    "platform/tijdvoorelkaar/schema_ids.py",  # operations for migrations: the one key sequence
    "platform/tijdvoorelkaar/natural_keys.py",  # operations for migrations: keys made of columns
    "platform/tijdvoorelkaar/plain_rows.py",  # operations for migrations: tables without TOAST
}
DDL = re.compile(
    r"\b(CREATE|ALTER|DROP)\s+(TABLE|SCHEMA|INDEX|SEQUENCE|VIEW|FUNCTION|TRIGGER)\b", re.I
)


def rows(sql: str, params: list[object] | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def tables_in(schema: str) -> set[str]:
    return {
        name
        for (name,) in rows(
            "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
            [schema],
        )
    }


def crossing(sql: str, current: str, tenant_tables: set[str], public_only: set[str]) -> str:
    """Why `sql`, run in the schema `current`, could not run on Citus as it is ("" if it can):
    it names another neighbourhood's schema, or joins this neighbourhood's tables with a
    `public` table that would stay on the coordinator."""
    named = set(re.findall(r'"([a-z0-9_]+)"', sql))
    others = {name for name in named if name.startswith("nb_") and name != current}
    if others:
        return f"names {others}"
    local_public = (named & public_only) - REFERENCE_TABLES
    if named & tenant_tables and local_public:
        return f"joins {local_public} with a neighbourhood's tables"
    return ""


def test_no_foreign_key_crosses_from_one_schema_into_another(cast) -> None:
    crossing = rows(
        """
        SELECT src.nspname || '.' || sc.relname, dst.nspname || '.' || dc.relname
        FROM pg_constraint c
        JOIN pg_class sc ON sc.oid = c.conrelid
        JOIN pg_namespace src ON src.oid = sc.relnamespace
        JOIN pg_class dc ON dc.oid = c.confrelid
        JOIN pg_namespace dst ON dst.oid = dc.relnamespace
        WHERE c.contype = 'f' AND src.nspname <> dst.nspname
        """
    )
    allowed = [
        (source, target)
        for source, target in crossing
        if target.startswith("public.") and target.split(".", 1)[1] in REFERENCE_TABLES
    ]
    assert crossing == allowed, "keys from one schema into another"
    # ...and the neighbourhoods do have keys of their own, so the check looked at something
    internal = rows(
        "SELECT count(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
        " WHERE c.contype = 'f' AND t.relnamespace = %s::regnamespace",
        [cast.a.neighbourhood.schema_name],
    )
    assert internal[0][0] > 20


def test_keys_are_bigint_and_each_sequence_belongs_to_its_own_schema(cast) -> None:
    schema = cast.a.neighbourhood.schema_name
    integer_keys = rows(
        """
        SELECT t.relname, a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (c.conkey)
        WHERE c.contype = 'p' AND t.relnamespace = %s::regnamespace
          AND a.atttypid IN ('int2'::regtype, 'int4'::regtype)
        """,
        [schema],
    )
    assert {table for table, _, _ in integer_keys} <= INTEGER_KEYS_ALLOWED, integer_keys
    # Every column filled from a sequence uses one in this schema: an identity's own, or the
    # schema's one sequence (docs/adr/0010-one-id-sequence-per-schema.md).
    serials = rows(
        """
        SELECT t.relname, a.attname, sn.nspname || '.' || s.relname
        FROM pg_attribute a
        JOIN pg_class t ON t.oid = a.attrelid
        JOIN pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum
        JOIN pg_depend dep ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid
        JOIN pg_class s ON s.oid = dep.refobjid AND s.relkind = 'S'
        JOIN pg_namespace sn ON sn.oid = s.relnamespace
        WHERE t.relnamespace = %s::regnamespace
        UNION ALL
        SELECT t.relname, a.attname, pg_get_serial_sequence(
            quote_ident(n.nspname) || '.' || quote_ident(t.relname), a.attname)
        FROM pg_attribute a
        JOIN pg_class t ON t.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = %s AND a.attidentity <> ''
        """,
        [schema, schema],
    )
    assert len(serials) > 30
    for table, column, sequence in serials:
        assert sequence and sequence.startswith(f"{schema}."), (table, column, sequence)
    sequence_types = rows(
        "SELECT c.relname, format_type(s.seqtypid, NULL) FROM pg_sequence s"
        " JOIN pg_class c ON c.oid = s.seqrelid WHERE c.relnamespace = %s::regnamespace",
        [schema],
    )
    narrow = {name for name, kind in sequence_types if kind != "bigint"}
    assert {name.rsplit("_", 2)[0] for name in narrow} <= INTEGER_KEYS_ALLOWED, narrow


def test_no_statement_of_a_request_reads_two_neighbourhoods_or_a_local_public_table(
    cast, operator_client
) -> None:
    a = cast.a.neighbourhood.schema_name
    tenant_tables, public_tables = tables_in(a), tables_in("public")
    public_only = public_tables - tenant_tables
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    visits = [
        (cast.a.client(), "/"),
        (cast.a.client(), "/ads/"),
        (cast.a.client(), f"/ads/{ad.pk}/"),
        (cast.a.client(cast.a.resident), "/ads/"),
        (cast.a.client(cast.a.broker), "/broker/"),
        (cast.a.client(cast.a.broker), "/broker/participants/"),
        (cast.a.client(cast.a.admin), "/manage/"),
        (cast.a.client(cast.a.broker), "/api/v1/ads/"),
    ]
    with CaptureQueriesContext(connection) as captured:
        for client, path in visits:
            assert client.get(path).status_code in (200, 302), path
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) > 20
    for sql in statements:
        assert not crossing(sql, a, tenant_tables, public_only), sql
    # the check itself: it catches another neighbourhood and a join with a local public table
    assert crossing('SELECT 1 FROM "nb_wijk_b"."market_ad"', a, tenant_tables, public_only)
    assert crossing(
        'SELECT 1 FROM "market_ad" JOIN "neighbourhoods_domain" ON true',
        a,
        tenant_tables,
        public_only,
    )

    # The console, in `public`, never names a neighbourhood's schema in a statement.
    with CaptureQueriesContext(connection) as console:
        assert operator_client.get("/").status_code == 200
        assert operator_client.get("/neighbourhoods/wijk-a/").status_code == 200
    for query in console.captured_queries:
        assert not re.search(r'"nb_[a-z0-9_]+"\.', query["sql"]), query["sql"]


def test_a_schema_is_created_in_a_statement_of_its_own() -> None:
    # Citus distributes a schema when it is created, then each table created in it; a
    # `CREATE SCHEMA … CREATE TABLE …` (schema elements) is not supported.
    sql = current_blueprint().sql
    creates = re.findall(r"CREATE SCHEMA[^;]*;", sql)
    assert creates and all(re.fullmatch(r'CREATE SCHEMA\s+"?\w+"?;', c) for c in creates)
    assert "CREATE TABLE" in sql


def test_schema_changes_happen_only_in_migrations_and_the_schema_modules() -> None:
    found = set()
    for path in [*ROOT.glob("platform/**/*.py"), *ROOT.glob("tenants/**/*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative:
            continue
        if DDL.search(path.read_text()):
            found.add(relative)
    assert found <= SCHEMA_DDL_MODULES, found - SCHEMA_DDL_MODULES
