"""A backup folder made by hand (`write_backup`, its dump no real one), and what a restore
drill compares: each table's rows (count and checksum) and each sequence's
position in a schema, and the schemas there are (no staging schema may be left behind)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import connection
from psycopg.sql import SQL, Identifier

from tijdvoorelkaar.neighbourhoods.blueprint import migration_state


def fingerprint(schema: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows, and each sequence's position."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY 1",
            [schema],
        )
        tables = [row[0] for row in cursor.fetchall()]
        found = {}
        for table in tables:
            cursor.execute(
                SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                    " FROM {} t").format(Identifier(schema, table))
            )  # fmt: skip
            found[table] = cursor.fetchone()
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = %s", [schema]
        )
        found.update({f"seq:{name}": (value, "") for name, value in cursor.fetchall()})
    return found


def without_audit(found: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """A fingerprint without the audit log, which a backup, a deletion and a restore write to.
    Its rows take their keys from the schema's one sequence (docs/adr/0010), so that
    sequence's position is counted without them: it must have moved by one key a row."""
    audited = found["audit_auditevent"][0]
    kept = {name: value for name, value in found.items() if name != "audit_auditevent"}
    kept["seq:schema_ids"] = (found["seq:schema_ids"][0] - audited, "")
    return kept


def schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return [row[0] for row in cursor.fetchall()]


def write_backup(root: Path, slug: str, stamp: str, *, state: str = "") -> Path:
    """A backup folder as `backup_neighbourhood` writes it (its dump is not a real one)."""
    folder = root / slug / stamp
    folder.mkdir(parents=True)
    (folder / "schema.dump").write_bytes(b"PGDMP" + b"\0" * 2043)
    registry = {
        "slug": slug,
        "schema_name": "nb_" + slug.replace("-", "_"),
        "migration_state": state or migration_state(),
        "fields": {"name": slug.title(), "status": "active"},
        "domains": [{"domain": f"{slug}.test", "is_primary": True}],
    }
    (folder / "registry.json").write_text(json.dumps(registry))
    return folder
