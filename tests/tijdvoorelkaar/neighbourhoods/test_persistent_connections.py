"""Persistent database connections (CONN_MAX_AGE > 0, as in production and behind PgBouncer in
session mode) serve one neighbourhood after another without a query running in the wrong
schema: django-tenants switches with a session-level `SET search_path` only when it believes
the schema changed (TENANT_LIMIT_SET_CALLS), so a connection that kept another schema would
leak data. A live HTTP server with a fixed pool of threads (each keeping its connection, like
gunicorn's gthread workers) takes requests for two neighbourhoods from many client threads;
every query is checked against PostgreSQL's own `current_schema()`."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from socketserver import BaseServer
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import connections
from django.db.backends.signals import connection_created

from tijdvoorelkaar.neighbourhoods.postgresql_backend.kept_statements import KeptStatementCursor

SERVER_THREADS = 3
CLIENTS = 6
REQUESTS_PER_CLIENT = 20


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


class _PooledServer(WSGIServer):
    """Hands each request to one of a fixed set of threads, which keep their connections."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _QuietHandler)
        self.pool = ThreadPoolExecutor(max_workers=SERVER_THREADS, thread_name_prefix="server")

    def process_request(self, request: Any, client_address: Any) -> None:
        self.pool.submit(self._serve, request, client_address)

    def _serve(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - reported like socketserver does
            self.handle_error(request, client_address)
        finally:
            BaseServer.shutdown_request(self, request)


class _SchemaWatch:
    """Records, for every query in a server thread, the schema the request's host belongs
    to, the schema Django believes it is in, and the one PostgreSQL actually used."""

    def __init__(self, schemas_by_host: dict[str, str]) -> None:
        self.schemas_by_host = schemas_by_host
        self.current = threading.local()
        self.queries: list[tuple[str, str, str, str]] = []  # expected, believed, actual, thread
        self.connections: list[str] = []
        self.prepared: list[tuple[str, str]] = []  # expected, actual of prepared statements
        self._lock = threading.Lock()

    def request_started(self, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
        host = (environ or {}).get("HTTP_HOST", "").split(":")[0]
        self.current.schema = self.schemas_by_host.get(host)

    def connection_created(self, connection: Any, **kwargs: Any) -> None:
        with self._lock:
            self.connections.append(threading.current_thread().name)
        connection.execute_wrappers.append(self.check)

    def check(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        expected = getattr(self.current, "schema", None)
        # django-tenants' own `SET search_path` passes here too, before it takes effect.
        if expected is not None and not sql.startswith("SET search_path"):
            raw = context["cursor"].cursor  # psycopg's own cursor: no wrapper runs again
            raw.execute("SELECT current_schema()")
            actual = raw.fetchone()[0]
            believed = context["connection"].schema_name
            with self._lock:
                self.queries.append((expected, believed, actual, threading.current_thread().name))
                if isinstance(raw, KeptStatementCursor):
                    self.prepared.append((expected, actual))
        return execute(sql, params, many, context)


@pytest.fixture
def live_server_with_persistent_connections(cast, django_db_blocker) -> Iterator[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    schemas_by_host = {place.host: place.neighbourhood.schema_name for place in (cast.a, cast.b)}
    watch = _SchemaWatch(schemas_by_host)
    settings_dict = connections.settings["default"]
    before = settings_dict["CONN_MAX_AGE"], settings_dict.get("CONN_HEALTH_CHECKS", False)
    settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = 600, True
    request_started.connect(watch.request_started)
    connection_created.connect(watch.connection_created)
    server = _PooledServer()
    server.set_app(WSGIHandler())
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    with django_db_blocker.unblock():
        serving.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", watch
        finally:
            server.shutdown()
            # Connections belong to their threads: each pool thread closes its own (the
            # barrier makes the calls land on different threads).
            together = threading.Barrier(SERVER_THREADS)
            for _ in range(SERVER_THREADS):
                server.pool.submit(lambda: (together.wait(timeout=10), connections.close_all()))
            server.pool.shutdown(wait=True)
            server.server_close()
            request_started.disconnect(watch.request_started)
            connection_created.disconnect(watch.connection_created)
            settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = before


def test_every_query_runs_in_the_schema_of_the_requests_neighbourhood(
    cast, live_server_with_persistent_connections
) -> None:
    base_url, watch = live_server_with_persistent_connections
    places = {place.host: place for place in (cast.a, cast.b)}
    answers: list[tuple[str, int, set[str]]] = []

    def client(index: int) -> None:
        for step in range(REQUESTS_PER_CLIENT):
            place = (cast.a, cast.b)[(index + step) % 2]
            request = urllib.request.Request(  # noqa: S310 - our own server
                f"{base_url}/api/v1/staff/",
                headers={"Host": place.host, "Authorization": f"Token {place.admin.token}"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                body = json.loads(response.read())
            rows = body["results"] if isinstance(body, dict) else body
            answers.append((place.host, response.status, {row["email"] for row in rows}))

    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        list(clients.map(client, range(CLIENTS)))

    assert len(answers) == CLIENTS * REQUESTS_PER_CLIENT
    for host, status, emails in answers:
        assert status == 200
        assert places[host].admin.user.email in emails  # the staff of this neighbourhood
        assert all(email.endswith(f"@{host}") for email in emails), (host, emails)
    # Every query ran where Django believed it was, and tenant work in the host's schema;
    # the host lookup alone may run in public.
    wrong = [q for q in watch.queries if q[2] != q[1] or q[2] not in (q[0], "public")]
    assert wrong == []
    in_schema = Counter(q[2] for q in watch.queries if q[2] == q[0])
    assert set(in_schema) == {cast.a.neighbourhood.schema_name, cast.b.neighbourhood.schema_name}
    # The connections persisted: at most one per server thread, and a connection served both
    # neighbourhoods in turn.
    assert 1 <= len(watch.connections) <= SERVER_THREADS
    schemas_per_thread: dict[str, set[str]] = {}
    for _expected, _believed, actual, thread in watch.queries:
        schemas_per_thread.setdefault(thread, set()).add(actual)
    assert any(len(seen - {"public"}) == 2 for seen in schemas_per_thread.values())


def test_the_lists_kept_statement_runs_prepared_in_each_requests_schema(
    cast, live_server_with_persistent_connections
) -> None:
    # The ad list's page is one kept statement, prepared per connection and neighbourhood
    # from its second run (kept_statements.py); a new query string each time misses the
    # anonymous list's cache, so every request runs it.
    base_url, watch = live_server_with_persistent_connections

    def client(index: int) -> None:
        for step in range(REQUESTS_PER_CLIENT):
            place = (cast.a, cast.b)[(index + step) % 2]
            request = urllib.request.Request(  # noqa: S310 - our own server
                f"{base_url}/ads/?run={index}-{step}", headers={"Host": place.host}
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                assert response.status == 200

    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        list(clients.map(client, range(CLIENTS)))

    wrong = [q for q in watch.queries if q[2] != q[1] or q[2] not in (q[0], "public")]
    assert wrong == []
    assert all(expected == actual for expected, actual in watch.prepared)
    schemas = {cast.a.neighbourhood.schema_name, cast.b.neighbourhood.schema_name}
    assert {actual for _expected, actual in watch.prepared} == schemas
