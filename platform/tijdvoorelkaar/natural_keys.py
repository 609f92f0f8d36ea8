"""Tables keyed by what makes a row unique instead of a surrogate `id` (docs/adr/0011).

A table that already had a unique key beside its `id` (a many-to-many join table, one answer
per mediation and participant, one visitor row a day) keeps that unique key as its primary key:
one index less in every neighbourhood, the same integrity. Nothing may refer to it by foreign
key, unless the key is one column that never changes (a participant's trajectory): then the
references are rewritten to it. Django (5.2) creates such tables with
`models.CompositePrimaryKey` (or a `primary_key=True` one-to-one field) but does not migrate an
existing table onto one; these operations do, in SQL, and back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import migrations
from django.db.migrations.operations.base import Operation

from .schema_ids import NEXT_ID


def _columns(columns: Sequence[str]) -> str:
    return ", ".join(f'"{column}"' for column in columns)


@dataclass(frozen=True)
class Reference:
    """A foreign key to a table that gets a one-column natural key: `table.column` named the
    row by its `id` and names it by the new key instead. Its `constraint` is added again under
    the same name (Django finds a foreign key by its columns, not its name; for the trajectory's
    moves it is also the name Django gives the re-pointed key, cut at 63 characters)."""

    table: str
    column: str
    constraint: str


def to_natural_key(
    table: str,
    columns: Sequence[str],
    *,
    unique: str,
    referred_by: Sequence[Reference] = (),
) -> migrations.RunSQL:
    """`table`'s unique constraint `unique` on `columns` becomes its primary key, its `id` goes.

    Backwards the `id` comes back (at the end of the row, from the schema's sequence, as
    `SchemaId` keys do) with its primary key, and the unique constraint under its old name.
    The foreign keys `referred_by` (only to a one-column key: one that never changes, as a
    participant's) are rewritten from the `id` to the key, and back."""
    if referred_by and len(columns) != 1:
        raise ValueError("only a one-column key can be referred to")
    to_key = [_rewritten(reference, table, "id", columns[0]) for reference in referred_by]
    to_id = [_rewritten(reference, table, columns[0], "id") for reference in referred_by]
    return migrations.RunSQL(
        [
            *_dropped(referred_by),
            *to_key,
            f'ALTER TABLE "{table}" DROP CONSTRAINT "{unique}"',
            f'ALTER TABLE "{table}" DROP COLUMN id',  # and its primary key with it
            f'ALTER TABLE "{table}" ADD PRIMARY KEY ({_columns(columns)})',
            *_added(referred_by, table, columns[0]),
        ],
        [
            *_dropped(referred_by),
            f'ALTER TABLE "{table}" DROP CONSTRAINT "{table}_pkey"',
            f'ALTER TABLE "{table}" ADD COLUMN id bigint NOT NULL DEFAULT {NEXT_ID}',
            f'ALTER TABLE "{table}" ADD PRIMARY KEY (id)',
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{unique}" UNIQUE ({_columns(columns)})',
            *to_id,
            *_added(referred_by, table, "id"),
        ],
    )


def _dropped(references: Sequence[Reference]) -> list[str]:
    # Checks of the rewritten rows run as each statement ends, not at the commit: one still
    # pending would stop the ALTER TABLEs that follow ("pending trigger events").
    return [
        *(["SET CONSTRAINTS ALL IMMEDIATE"] if references else []),
        *(f'ALTER TABLE "{r.table}" DROP CONSTRAINT "{r.constraint}"' for r in references),
    ]


def _rewritten(reference: Reference, table: str, old: str, new: str) -> str:
    # One statement: every row is matched by its old value, whatever the new ones are. Only
    # names from the migration go in, no values.
    return (
        f'UPDATE "{reference.table}" r SET "{reference.column}" = t."{new}"'  # noqa: S608
        f' FROM "{table}" t WHERE r."{reference.column}" = t."{old}"'
    )


def _added(references: Sequence[Reference], table: str, key: str) -> list[str]:
    # as Django makes a foreign key: checked at the transaction's end
    return [
        f'ALTER TABLE "{r.table}" ADD CONSTRAINT "{r.constraint}" FOREIGN KEY ("{r.column}")'
        f' REFERENCES "{table}" ("{key}") DEFERRABLE INITIALLY DEFERRED'
        for r in references
    ]


def keyed_by(database: migrations.RunSQL, *state: Operation) -> migrations.SeparateDatabaseAndState:
    """The model state's change (what makemigrations wrote: the `id` removed, the key added,
    an explicit `through` model) with `database` doing it to the table."""
    return migrations.SeparateDatabaseAndState(
        database_operations=[database], state_operations=list(state)
    )
