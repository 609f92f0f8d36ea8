"""Several reads in one round trip: a page that shows many short lists (the dashboard, a
participant's timeline) asks the database once instead of once per list.

Each read is a `values()` queryset, written by Django as always; `read_together` puts them
side by side in one `SELECT`, each list as a JSON array (`json_agg`, in the queryset's own
order), each count as a scalar subquery, and turns the JSON values back into what the
queryset itself would have returned (dates, datetimes, decimals) with the fields'
`to_python`. Asking for only the columns a page shows also keeps Django's SQL compilation
and the rows' transfer small, which cost more than the database's work for short lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from django.db import connections, models
from django.db.models import Count, QuerySet, Window
from django.db.models.functions import RowNumber

# An id no row has, for a statement prepared once and run for many ids (`Statement.run`).
ANY_ID = -7_700_000_000_000_000_001
PLACE = "combined_place"  # each row's place in its list: json_agg keeps the list's order
TOTAL = "combined_total"  # how many rows the whole queryset has, before the limit


@dataclass(frozen=True)
class Rows:
    """The rows of a `values()` queryset as dicts: the first `limit` (all without one), and
    with `counted` also how many there are in all (then the result is a `CountedRows`)."""

    queryset: QuerySet[Any]
    limit: int | None = None
    counted: bool = False


@dataclass(frozen=True)
class Counted:
    """How many rows a queryset has."""

    queryset: QuerySet[Any]


@dataclass(frozen=True)
class CountedRows:
    rows: list[dict[str, Any]]
    total: int


@dataclass(frozen=True)
class Statement:
    """Reads compiled into one statement. Compiling is most of the CPU such a page costs, so
    a page whose reads depend only on a few inputs (the day) may keep its statement and run
    it again (`run`): the SQL names no schema (django-tenants sets `search_path`), and it
    runs prepared (`kept_statement_run`)."""

    reads: dict[str, Rows | Counted]
    sql: str
    params: tuple[Any, ...]
    fields: dict[str, dict[str, Any]]  # per list: the fields of its columns JSON changes
    database: str

    def run(self, replacing: dict[int, Any] | None = None) -> dict[str, Any]:
        """Each read's result by name: a list of dicts for `Rows`, a `CountedRows` for
        `Rows(counted=True)`, an int for `Counted`. `replacing` swaps parameters: a statement
        prepared for `ANY_ID` runs for a real id with `replacing={ANY_ID: pk}`."""
        with kept_statement_run(
            self.database, self.sql, swapped(self.params, replacing or {})
        ) as ran:
            values = ran.fetchone()
        results: dict[str, Any] = {}
        for (name, read), value in zip(self.reads.items(), values, strict=True):
            if isinstance(read, Counted):
                results[name] = value
                continue
            rows = [_converted(row, self.fields[name]) for row in value]
            if read.counted:
                results[name] = CountedRows(rows, rows[0][TOTAL] if rows else 0)
                for row in rows:
                    del row[TOTAL]
            else:
                results[name] = rows
        return results


def prepare(**reads: Rows | Counted) -> Statement:
    """Every read in one statement. The querysets must share a database."""
    databases = {read.queryset.db for read in reads.values()}
    if len(databases) != 1:
        raise ValueError(f"reads from more than one database: {sorted(databases)}")
    database = databases.pop()
    parts, params, fields = [], [], {}
    for name, read in reads.items():
        if isinstance(read, Counted):
            sql, own = read.queryset.order_by().values("pk").query.sql_with_params()
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608 - Django's
        else:
            sql, own, fields[name] = _rows_sql(read, connections[database])
            parts.append(
                f"(SELECT COALESCE(json_agg(found ORDER BY found.{PLACE}), '[]') "  # noqa: S608
                f"FROM ({sql}) AS found)"
            )
        params.extend(own)
    return Statement(reads, "SELECT " + ", ".join(parts), tuple(params), fields, database)


def swapped(params: tuple[Any, ...], replacing: dict[Any, Any]) -> tuple[Any, ...]:
    """A kept statement's parameters with its stand-ins (`ANY_ID`, a placeholder word)
    swapped for this run's values. Booleans are never stand-ins: `True == 1`."""
    return tuple(
        replacing.get(param, param)
        if isinstance(param, (int, str)) and not isinstance(param, bool)
        else param
        for param in params
    )


@contextmanager
def kept_statement_run(database: str, sql: str, params: tuple[Any, ...]) -> Iterator[Any]:
    """The cursor that ran `sql`, a statement compiled once and kept: PostgreSQL prepares
    it once per connection and neighbourhood, so it is not parsed and planned again on
    every request (the database backend's `kept_statement_cursor`)."""
    with cast(Any, connections[database]).kept_statement_cursor(sql) as cursor:
        cursor.execute(sql, params)
        yield cursor


def read_together(**reads: Rows | Counted) -> dict[str, Any]:
    """Every read in one round trip, by name (see `Statement.run`)."""
    return prepare(**reads).run()


def _rows_sql(read: Rows, connection: Any) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    """The read's SQL with each row's place (and the total), and the fields of its columns
    that JSON changes."""
    query = read.queryset.query
    ordering = list(query.order_by) or (
        list(query.get_meta().ordering) if query.default_ordering else []
    )
    annotations: dict[str, Any] = {PLACE: Window(RowNumber(), order_by=ordering or None)}
    if read.counted:
        annotations[TOTAL] = Window(Count("*"))
    queryset = read.queryset.annotate(**annotations)
    if read.limit is not None:
        queryset = queryset[: read.limit]
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    fields = {
        alias: expression.output_field
        for expression, _sql, alias in compiler.select
        if _changed_by_json(expression.output_field)
    }
    return sql, params, fields


def _converted(row: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    del row[PLACE]
    for name, field in fields.items():
        value = row[name]
        if value is not None:
            row[name] = field.to_python(value)
    return row


# Fields whose values JSON gives back as the queryset would (text, whole numbers, booleans),
# unless a subclass turns them into something else: no `to_python` for them on every row.
_AS_IN_JSON = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _changed_by_json(field: Any) -> bool:
    """Whether a column of `field` comes out of JSON as something else than the queryset
    gives (a date as text, a decimal as a float...): then its `to_python` turns it back."""
    if field.is_relation:  # a key: its target's values
        field = field.target_field
    return not any(
        isinstance(field, kind) and type(field).to_python is kind.to_python for kind in _AS_IN_JSON
    )
