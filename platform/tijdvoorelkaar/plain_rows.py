"""Tables whose rows always fit a page are stored without a TOAST table (issue 13, target 4).

PostgreSQL gives a table a TOAST table (and its index, one page in every schema) when a column
may be moved out of line: any `text`/`jsonb` column, or bounded `varchar`s whose widest row
could pass ≈ 2 kB (a `varchar(n)` counts 4 bytes a character). A table of bounded columns
only (a user's address, password hash and name; a migration's app and name) never needs one:
its widest row fits a page. Such a table's columns are stored `PLAIN` (kept in
the row, never compressed or moved out), and the table is rewritten once, which drops the
TOAST table: nothing gets shorter, no row is refused that was accepted before.

Free text whose length the product bounds (a response's message, a survey's remark: a
`max_length` that forms, API and services enforce, and a `varchar(n)` column since) is stored
the same way when the table's widest row fits a heap page (8,160 bytes), which
tests/tijdvoorelkaar/neighbourhoods/test_plain_rows.py proves for every table stored plain;
longer free text (notes, stories, mails, JSON) keeps its TOAST table (docs/adr/0013). A later
`AlterField` that changes such a column's type resets its storage (PostgreSQL does), and a new
column of such a table is stored as its type says: the TOAST table comes back, and the
footprint test (tests/tijdvoorelkaar/neighbourhoods/test_schema_footprint.py) fails until a
migration stores the table plain again.

The blueprint keeps what a migration did: `CREATE TABLE` makes a TOAST table before pg_dump's
`SET STORAGE PLAIN` follows, so the blueprint's SQL ends by rewriting those tables
(`rewrite_sql`), and a restore does the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, migrations


def _rewrite(table: str, pkey: str) -> list[str]:
    # CLUSTER rewrites the table (in the migration's transaction, unlike VACUUM FULL), and a
    # rewritten table gets a TOAST table only if it needs one; the mark it leaves goes again.
    return [f"CLUSTER {table} USING {pkey}", f"ALTER TABLE {table} SET WITHOUT CLUSTER"]


def store_plain(table: str, columns: Sequence[str]) -> migrations.RunSQL:
    """Store `table`'s variable-length `columns` (all it has) in the row, and rewrite it
    without its TOAST table. Backwards they are stored as their type says again, and
    PostgreSQL gives the table back its TOAST table."""

    def storage(kind: str) -> str:
        return ", ".join(f'ALTER COLUMN "{column}" SET STORAGE {kind}' for column in columns)

    return migrations.RunSQL(
        [f'ALTER TABLE "{table}" {storage("PLAIN")}', *_rewrite(f'"{table}"', f'"{table}_pkey"')],
        [f'ALTER TABLE "{table}" {storage("EXTENDED")}'],
    )


def plain_tables(schema: str) -> list[tuple[str, str]]:
    """(table, primary key index) of `schema`'s tables stored plain: every column `PLAIN`
    and at least one of variable length (a table of fixed-width columns never has TOAST)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, k.relname FROM pg_class c"
            " JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary"
            " JOIN pg_class k ON k.oid = i.indexrelid"
            " WHERE c.relnamespace = to_regnamespace(%s) AND c.relkind = 'r'"
            " AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid"
            " AND a.attnum > 0 AND NOT a.attisdropped AND a.attstorage <> 'p')"
            " AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid"
            " AND a.attnum > 0 AND NOT a.attisdropped AND a.attlen = -1)"
            " ORDER BY 1",
            [schema],
        )
        return cursor.fetchall()


def rewrite_sql(schema: str) -> str:
    """SQL that rewrites `schema`'s plain tables, dropping the TOAST tables that `CREATE TABLE`
    made before their columns were stored plain (a replayed blueprint, a restored dump)."""
    return "".join(
        f"{statement};\n"
        for table, pkey in plain_tables(schema)
        for statement in _rewrite(f'"{schema}"."{table}"', f'"{pkey}"')
    )
