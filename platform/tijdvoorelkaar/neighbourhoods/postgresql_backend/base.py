"""django-tenants' PostgreSQL backend that keeps a connection's `search_path` when a switch
changes nothing.

django-tenants forgets which `search_path` the connection has whenever `set_tenant` runs and
sets it again before the next query. Every request switches twice (the neighbourhood
middleware goes to `public`, then to the host's neighbourhood), so every request paid a
`SET search_path` round trip, even on a connection whose last request was for the same
neighbourhood (a persistent connection, one neighbourhood busy, every test of the suite).
Here a switch to the path the connection already has keeps django-tenants' record of it, so
no `SET` is sent; any other switch forgets it as before.

What the connection has is recorded as django-tenants records it between the queries of one
request (`search_path_set_schemas`): set only once a `SET` succeeded, forgotten on close, on
rollback and on a rollback to a savepoint (which undo a `SET`); unlike django-tenants'
record, it survives the switch to `public` and back. Requests to different neighbourhoods
on one connection still switch every time (tests/tijdvoorelkaar/neighbourhoods/
test_persistent_connections.py checks every query's schema against PostgreSQL's).

`kept_statement_cursor()` runs a statement a page compiled once and keeps as a server-side
prepared statement, once per connection and neighbourhood (kept_statements.py); every other
query keeps Django's client-side binding, which never prepares.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

from .kept_statements import KeptStatementCursor, KeptStatements, preparing


class DatabaseOperations(PostgresOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str | None:
        if isinstance(cursor, KeptStatementCursor):  # psycopg keeps no text of a prepared run
            return self.compose_sql(sql, params)
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(TenantDatabaseWrapper):
    ops_class = DatabaseOperations
    # The search_path this connection has on the server, when known: it outlives
    # `set_tenant` (which forgets django-tenants' record), not a close or a rollback.
    search_path_on_server: list[str] | None = None

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        super().set_tenant(tenant, include_public)
        on_server = self.search_path_on_server
        if on_server is not None and on_server == self._get_cursor_search_paths():
            self.search_path_set_schemas = on_server  # no SET before the next query

    def _handle_search_path(self, cursor: Any = None) -> None:
        super()._handle_search_path(cursor)
        if not self._setting_search_path:  # not the re-entry while the SET runs
            self.search_path_on_server = self.search_path_set_schemas  # None if it failed

    def get_new_connection(self, conn_params: Any) -> Any:
        self.kept_statements = KeptStatements()  # a new connection has none prepared
        return preparing(super().get_new_connection(conn_params))

    def kept_statement_cursor(self, sql: str) -> Any:
        """A cursor (Django's wrapper, counted and logged as any) to run `sql`, a statement
        kept and run again, with: prepared on the server for the current search_path once
        it ran before on this connection (kept_statements.py), else the usual cursor."""
        cursor = self.cursor()  # connects and sends `SET search_path` if the path changed
        path = self.search_path_set_schemas
        if not self.kept_statements.admit(path, sql):
            return cursor
        cursor.close()
        kept = KeptStatementCursor(self.connection)
        kept.search_path = path
        return self._prepare_cursor(kept)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.search_path_on_server = None

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.search_path_on_server = None

    def savepoint_rollback(self, sid: Any) -> None:
        try:
            super().savepoint_rollback(sid)
        finally:
            self.search_path_on_server = None
