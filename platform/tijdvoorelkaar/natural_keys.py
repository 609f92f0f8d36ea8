"""Tables keyed by what makes a row unique instead of a surrogate `id` (docs/adr/0011).

A table that nothing references by foreign key and that already had a unique key beside its
`id` (a many-to-many join table, one answer per mediation and participant, one visitor row a
day) keeps that unique key as its primary key: one index less in every neighbourhood, the same
integrity. Django (5.2) creates such tables with `models.CompositePrimaryKey` (or a
`primary_key=True` one-to-one field) but does not migrate an existing table onto one; these
operations do, in SQL, and back.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import migrations
from django.db.migrations.operations.base import Operation

from .schema_ids import NEXT_ID


def _columns(columns: Sequence[str]) -> str:
    return ", ".join(f'"{column}"' for column in columns)


def to_natural_key(table: str, columns: Sequence[str], *, unique: str) -> migrations.RunSQL:
    """`table`'s unique constraint `unique` on `columns` becomes its primary key, its `id` goes.

    Backwards the `id` comes back (at the end of the row, from the schema's sequence, as
    `SchemaId` keys do) with its primary key, and the unique constraint under its old name."""
    return migrations.RunSQL(
        [
            f'ALTER TABLE "{table}" DROP CONSTRAINT "{unique}"',
            f'ALTER TABLE "{table}" DROP COLUMN id',  # and its primary key with it
            f'ALTER TABLE "{table}" ADD PRIMARY KEY ({_columns(columns)})',
        ],
        [
            f'ALTER TABLE "{table}" DROP CONSTRAINT "{table}_pkey"',
            f'ALTER TABLE "{table}" ADD COLUMN id bigint NOT NULL DEFAULT {NEXT_ID}',
            f'ALTER TABLE "{table}" ADD PRIMARY KEY (id)',
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{unique}" UNIQUE ({_columns(columns)})',
        ],
    )


def keyed_by(database: migrations.RunSQL, *state: Operation) -> migrations.SeparateDatabaseAndState:
    """The model state's change (what makemigrations wrote: the `id` removed, the key added,
    an explicit `through` model) with `database` doing it to the table."""
    return migrations.SeparateDatabaseAndState(
        database_operations=[database], state_operations=list(state)
    )
