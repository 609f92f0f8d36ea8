"""Kept statements (combined_reads, pagination) run prepared on the server, one prepared
statement per neighbourhood: each neighbourhood reads only its own rows, however often one
connection goes back and forth; the rows are those of the unprepared run; PostgreSQL's own
invalidation keeps them right after a column is added; Django still counts and logs them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.people.models import Participant
from tests.support.factories import participant
from tijdvoorelkaar.combined_reads import Rows, prepare
from tijdvoorelkaar.neighbourhoods.postgresql_backend.kept_statements import (
    PREPARED_PER_CONNECTION,
    KeptStatements,
)
from tijdvoorelkaar.pagination import PageStatement

pytestmark = pytest.mark.django_db

# More runs than PostgreSQL's five custom plans, so the generic plan serves the last ones.
RUNS = 8


def _people() -> Any:
    return Participant.objects.order_by("display_name").values("display_name")


def _prepared(schema: str) -> dict[str, tuple[int, int]]:
    """Generic and custom plans of this connection's prepared statements for `schema`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            [f"/* {schema},public */ %"],
        )
        return {statement: (generic, custom) for statement, generic, custom in cursor.fetchall()}


@pytest.fixture
def two_with_people(cast) -> dict[str, list[dict[str, str]]]:  # type: ignore[no-untyped-def]
    """Each of the cast's neighbourhoods with people of its own; what each should read."""
    expected = {}
    for place, names in ((cast.a, ("Ans", "Bep")), (cast.b, ("Cor",))):
        with tenant_context(place.neighbourhood):
            for name in names:
                participant(name)
            expected[place.neighbourhood.schema_name] = list(_people())
    return expected


def test_each_neighbourhood_reads_its_own_rows_back_and_forth_on_one_connection(
    cast, two_with_people
) -> None:
    statement = prepare(people=Rows(_people()))
    for _ in range(RUNS):
        for place in (cast.a, cast.b):
            with tenant_context(place.neighbourhood):
                found = statement.run()["people"]
            assert found == two_with_people[place.neighbourhood.schema_name]
    # Each ran prepared (from its second run) and ends on its generic plan.
    for place in (cast.a, cast.b):
        ((generic, custom),) = _prepared(place.neighbourhood.schema_name).values()
        assert (generic + custom, generic > 0) == (RUNS - 1, True)


def test_a_page_statement_reads_the_same_rows_prepared_as_not(cast, two_with_people) -> None:
    statement = PageStatement.prepare(_people())
    for _ in range(RUNS):
        for place in (cast.b, cast.a):
            with tenant_context(place.neighbourhood):
                rows, total = statement.rows(0, 1, {})
            expected = two_with_people[place.neighbourhood.schema_name]
            assert (rows, total) == (expected[:1], len(expected))


def test_prepared_runs_inside_an_atomic_block_and_after_its_rollback(cast, two_with_people) -> None:
    statement = prepare(people=Rows(_people()))
    with tenant_context(cast.a.neighbourhood):
        expected = two_with_people[cast.a.neighbourhood.schema_name]
        with transaction.atomic():
            for _ in range(RUNS):
                assert statement.run()["people"] == expected
        # A rollback to a savepoint deallocates psycopg's prepared statements.
        with pytest.raises(RuntimeError), transaction.atomic():
            participant("Dirk")
            assert statement.run()["people"] == [*expected, {"display_name": "Dirk"}]
            raise RuntimeError
        for _ in range(RUNS):
            assert statement.run()["people"] == expected


def test_a_prepared_statement_still_runs_after_a_column_is_added(cast, two_with_people) -> None:
    statement = prepare(people=Rows(_people()))
    with tenant_context(cast.a.neighbourhood):
        for _ in range(RUNS):
            statement.run()
        # In a DO block, as a migration on another connection would be: psycopg does not
        # see an ALTER, so its prepared statements stay and PostgreSQL must plan them again.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the new people's checks first
            cursor.execute(
                "DO $$ BEGIN ALTER TABLE people_participant ADD COLUMN kept_probe int; END $$"
            )
        assert _prepared(cast.a.neighbourhood.schema_name)
        participant("Dirk")
        expected = [*two_with_people[cast.a.neighbourhood.schema_name], {"display_name": "Dirk"}]
        assert statement.run()["people"] == expected


def test_a_prepared_run_is_one_query_django_counts_with_its_sql(cast, two_with_people) -> None:
    statement = prepare(people=Rows(_people()))
    with tenant_context(cast.a.neighbourhood):
        statement.run()
        with CaptureQueriesContext(connection) as queries:
            statement.run()
    assert _prepared(cast.a.neighbourhood.schema_name)
    (query,) = queries.captured_queries
    assert query["sql"].startswith("SELECT (SELECT COALESCE(json_agg(")


def test_a_statement_is_prepared_only_when_it_came_back_among_the_last_ones() -> None:
    kept = KeptStatements()
    assert not kept.admit(["a", "public"], "SELECT 1")
    assert kept.admit(["a", "public"], "SELECT 1")
    assert not kept.admit(["b", "public"], "SELECT 1")  # another neighbourhood: its own
    for index in range(PREPARED_PER_CONNECTION):  # as many others since
        kept.admit([f"n{index}"], "SELECT 1")
    assert not kept.admit(["a", "public"], "SELECT 1")


def test_a_long_statement_is_numbered_as_psycopg_numbers_it_and_reads_the_same(
    cast, two_with_people
) -> None:
    from django.db.models import F
    from psycopg._queries import _query2pg_nocache

    from tijdvoorelkaar.neighbourhoods.postgresql_backend.kept_statements import numbered

    # Longer than psycopg's 4,096 characters, with parameters and literal '%' ('%%').
    reads = {
        f"named_{n}": Rows(_people().filter(display_name__contains="%" if n else "n"))
        for n in range(12)
    }
    reads["everyone"] = Rows(_people().filter(display_name__contains=F("email")))
    statement = prepare(**reads)
    assert len(statement.sql) > 4096 and "%%" in statement.sql
    numbered_sql = numbered(statement.sql).encode()
    assert numbered_sql == _query2pg_nocache(statement.sql.encode(), "utf-8")[0]
    with tenant_context(cast.a.neighbourhood):
        runs = [statement.run() for _ in range(RUNS)]  # text first, then prepared
    assert all(run == runs[0] for run in runs)
    assert runs[0]["named_0"] == [{"display_name": "Ans"}]
    assert runs[0]["named_1"] == []
    assert runs[0]["everyone"] == two_with_people[cast.a.neighbourhood.schema_name]


def test_a_statement_with_another_placeholder_is_refused() -> None:
    from tijdvoorelkaar.neighbourhoods.postgresql_backend.kept_statements import numbered

    with pytest.raises(ValueError, match="%d"):
        numbered("SELECT %d")
