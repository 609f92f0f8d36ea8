"""Statements a page compiled once and keeps (combined_reads, pagination), run as server-side
prepared statements: PostgreSQL parses and plans such a statement on every request when it
comes as text with the values in it (Django's client-side binding), ≈ 1 ms of the dashboard's
and the participant page's 2–3 ms in the database. Prepared, it is parsed once per
connection and neighbourhood, and after five runs PostgreSQL keeps one generic plan for it.

Why each neighbourhood has its own prepared statement: PostgreSQL reuses a prepared
statement's plan only while `search_path` is what it was when the statement was analysed; on
another path it parses and plans it again, on that path. One statement for every
neighbourhood would so be planned again on nearly every request (they come for one
neighbourhood after another). The statement's text therefore starts with the search_path as
a comment, which gives it a name of its own per neighbourhood in psycopg's cache of prepared
statements. The tables stay unqualified: PostgreSQL resolves them on the current search_path,
as for any query, so a statement reads the current neighbourhood's schema whatever its name.

psycopg keeps `PREPARED_PER_CONNECTION` prepared statements per connection and deallocates
the least recently used. A statement is prepared from its second run among the last as many
distinct kept statements run on the connection (`KeptStatements.admit`); until then, and for
one that comes back later than that (a connection serving more neighbourhoods than it can
keep prepared), it runs as before, as text with Django's client-side binding, instead of
being prepared and deallocated again and again.

A prepared run sends the statement with PostgreSQL's own placeholders (`$1`, `$2`…), numbered
once per process (`numbered`): psycopg converts Django's `%s` itself only for statements of
at most 4,096 characters from its cache, and splits a longer one again on every run (the
participant page's is ≈ 12,000 characters: ≈ 0.1 ms a request).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import OrderedDict
from typing import Any

import psycopg
from django.db.backends.postgresql.base import CursorMixin

# Prepared statements one connection keeps (psycopg's LRU), and as many distinct kept
# statements' runs are remembered for `admit`. Each costs its server process memory: ≈ 0.5
# MB for the dashboard's or the timeline's, ≈ 0.1 MB for the list's; 50 of them are a few
# shapes of a dozen or more neighbourhoods (docs/adr/0012-prepared-kept-statements.md).
PREPARED_PER_CONNECTION = 50
# psycopg prepares what it is asked to (`prepare=True`) only on a connection with a
# threshold; Django's client-binding cursors never prepare, whatever its value.
PREPARE_THRESHOLD = 5


class KeptStatements:
    """Which kept statements a connection has run lately: the ones to prepare."""

    def __init__(self) -> None:
        self._runs: OrderedDict[tuple[tuple[str, ...], str], None] = OrderedDict()

    def admit(self, search_path: list[str] | None, sql: str) -> bool:
        """Whether to prepare `sql` for `search_path`: it ran so before, among the last
        distinct ones."""
        key = (tuple(search_path or ()), sql)  # a kept `sql` is one object: its hash is kept
        seen = key in self._runs
        self._runs[key] = None
        self._runs.move_to_end(key)
        if len(self._runs) > PREPARED_PER_CONNECTION:
            self._runs.popitem(last=False)
        return seen


def named_for(search_path: list[str] | None, sql: str) -> str:
    """The statement's text for one search_path: its name in psycopg's cache."""
    return f"/* {','.join(search_path or ())} */ {sql}"  # validated schema names


class KeptStatementCursor(CursorMixin, psycopg.RawCursor):
    """Binds parameters on the server and has its statements prepared, each under the name
    it has for the current search_path (`named_for`), with its placeholders numbered."""

    search_path: list[str] | None = None

    def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
        if params is not None:  # as psycopg: `%s` and `%%` mean something only then
            query = numbered(query)
        return super().execute(named_for(self.search_path, query), params, prepare=True)


_PLACEHOLDER = re.compile(r"%(.)", re.DOTALL)


@functools.lru_cache(maxsize=PREPARED_PER_CONNECTION)  # a process keeps a few statements
def numbered(sql: str) -> str:
    """`sql` (Django's SQL: `%s` for each parameter, `%%` for a `%`) with PostgreSQL's
    placeholders `$1`, `$2`… and `%` instead, as psycopg converts it before a run."""
    count = itertools.count(1)

    def placeholder(found: re.Match[str]) -> str:
        if found[1] == "s":
            return f"${next(count)}"
        if found[1] == "%":
            return "%"
        raise ValueError(f"a kept statement with the placeholder %{found[1]}")

    return _PLACEHOLDER.sub(placeholder, sql)


def preparing(connection: Any) -> Any:
    """`connection` (a new psycopg connection) set to prepare the statements it is asked to."""
    connection.prepare_threshold = PREPARE_THRESHOLD
    connection.prepared_max = PREPARED_PER_CONNECTION
    return connection
