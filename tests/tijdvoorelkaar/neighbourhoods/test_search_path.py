"""The database backend sends `SET search_path` only when the connection's path changes
(neighbourhoods/postgresql_backend), and again whenever a rollback may have undone it."""

from __future__ import annotations

from contextlib import suppress

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _in(neighbourhood) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """Switch to `neighbourhood` (by way of `public`, as a request does) and run a query:
    the schema PostgreSQL used and the SETs sent."""
    connection.set_schema_to_public()
    connection.set_tenant(neighbourhood)
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        [schema] = cursor.fetchone()
    return schema, [q["sql"] for q in queries if q["sql"].startswith("SET search_path")]


def test_only_a_change_of_schema_sends_a_set(cast) -> None:
    a, b = cast.a.neighbourhood, cast.b.neighbourhood
    assert _in(a)[0] == a.schema_name
    assert _in(a) == (a.schema_name, [])
    schema, sets = _in(b)
    assert schema == b.schema_name and len(sets) == 1
    assert _in(b) == (b.schema_name, [])
    connection.set_schema_to_public()


def test_a_switch_undone_by_a_rollback_is_sent_again(cast) -> None:
    a, b = cast.a.neighbourhood, cast.b.neighbourhood
    assert _in(b)[0] == b.schema_name
    with CaptureQueriesContext(connection) as queries:
        with suppress(RuntimeError), transaction.atomic():  # a savepoint in the test's own
            assert _in(a)[0] == a.schema_name
            raise RuntimeError  # rolls back to the savepoint: the server's path is B's again
        assert _in(a)[0] == a.schema_name
    sent = [q["sql"].split()[0] for q in queries if q["sql"].startswith(("SET", "ROLLBACK"))]
    assert sent == ["SET", "ROLLBACK", "SET"]  # A's path, undone, and sent again
    connection.close()  # a new connection has no path of ours yet
    assert connection.search_path_on_server is None
    connection.set_schema_to_public()
