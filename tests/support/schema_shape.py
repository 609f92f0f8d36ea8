"""What a neighbourhood's schema is made of, to compare one migrated back and forward with a
new one (the footprint's migrations: tests/tijdvoorelkaar/neighbourhoods/test_natural_keys.py,
test_third_party_footprint.py)."""

from __future__ import annotations

from django.db import connection


def query(sql: str, params: list[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def shape(schema: str) -> dict[str, set[tuple]]:
    """Everything the schema's tables are made of, with the schema's name left out: relations,
    columns (in order, with defaults and identities), constraints, TOAST tables, indexes."""

    def plain(rows: list[tuple]) -> set[tuple]:
        return {tuple(str(v).replace(f"{schema}.", "") for v in row) for row in rows}

    return {
        "relations": plain(
            query(
                "SELECT relname, relkind FROM pg_class WHERE relnamespace = to_regnamespace(%s)",
                [schema],
            )
        ),
        "columns": plain(
            query(
                "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),"
                " a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attidentity,"
                # the column's place among the table's live columns
                " rank() OVER (PARTITION BY c.oid ORDER BY a.attnum)"
                " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
                " WHERE c.relnamespace = to_regnamespace(%s) AND c.relkind = 'r'"
                " AND a.attnum > 0 AND NOT a.attisdropped",
                [schema],
            )
        ),
        "constraints": plain(
            query(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
                " FROM pg_constraint c WHERE c.connamespace = to_regnamespace(%s)",
                [schema],
            )
        ),
        # TOAST tables live in pg_toast: which tables have one
        "toast": plain(
            query(
                "SELECT relname FROM pg_class WHERE relnamespace = to_regnamespace(%s)"
                " AND relkind = 'r' AND reltoastrelid <> 0",
                [schema],
            )
        ),
        "indexes": plain(
            query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s", [schema])
        ),
    }
