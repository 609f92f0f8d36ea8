"""Session-wide fixtures: the test database, two neighbourhoods (A and B) and their cast,
created once per session through the real services (`tests/support/cast.py`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import caches
from django.db import connection
from django.urls import set_urlconf

from tests.support import alone, scheduling
from tests.support.cast import PLATFORM_HOST, Cast, build_cast, client_for
from tests.support.live_server import LiveSite, serving
from tests.support.outbox import SmtpSink, free_port


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    with alone.turn(item):  # in parallel runs, `alone` tests wait for the others and back
        return (yield)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if hasattr(config, "workerinput"):  # in parallel runs: long files first, alone ones late
        items[:] = scheduling.in_order(items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist=loadfile` (as `manage.py test` asks) with a unit per test for some files."""
    if config.getvalue("dist") != "loadfile":
        return None
    return scheduling.Scheduling(config, log)


@pytest.fixture(scope="session")
def cast(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Cast:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        # Committed work must never land in a real database, whatever tests were selected.
        # (pytest-django creates the test database only when a selected test is marked for
        # it: run tests that commit for real together with at least one such test.)
        assert connection.settings_dict["NAME"].startswith("test_"), "no test database"
        return build_cast()


@pytest.fixture(autouse=True)
def _reset_schema_and_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    # Before the test, not after: an earlier test may have changed the cast's neighbourhoods
    # in memory, or in its transaction (a refresh after it may run before its rollback).
    if "cast" in request.fixturenames:
        cast = request.getfixturevalue("cast")
        with request.getfixturevalue("django_db_blocker").unblock():
            for place in (cast.a, cast.b):
                place.neighbourhood.refresh_from_db()
    yield
    connection.set_schema_to_public()
    # A streamed response the test never read (a download) fires no request_finished, so
    # Django never resets the URLconf its request set: the next test would reverse with it.
    set_urlconf(None)
    for alias in ("default", "platform"):
        caches[alias].clear()


@pytest.fixture
def operator_client(cast: Cast):  # type: ignore[no-untyped-def]
    return client_for(PLATFORM_HOST, None, cast.operator)


@pytest.fixture(scope="session")
def live_site(django_db_setup: None) -> Iterator[LiveSite]:
    """A real server for the whole session (tests/support/live_server.py); it sees committed
    rows only."""
    with serving() as site:
        yield site


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()
