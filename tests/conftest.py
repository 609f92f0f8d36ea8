"""Session-wide fixtures: the test database, two neighbourhoods (A and B) and their cast,
created once per session through the real services."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import caches
from django.db import connection
from rest_framework.authtoken.models import Token

from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.testing import PASSWORD, PLATFORM_HOST, Member, Place, build_place, client_for


@dataclass
class Cast:
    a: Place
    b: Place
    operator: Member


@pytest.fixture(scope="session")
def cast(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Cast:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        # Committed work must never land in a real database, whatever tests were selected.
        # (pytest-django creates the test database only when a selected test is marked for
        # it: run tests that commit for real together with at least one such test.)
        assert connection.settings_dict["NAME"].startswith("test_"), "no test database"
        a = build_place("wijk-a", theme="kade")
        b = build_place("wijk-b", theme="baksteen")
        operator = User.objects.create_user("operator@platform.test", PASSWORD, role=Role.OPERATOR)
        token = Token.objects.create(user=operator).key
    return Cast(a=a, b=b, operator=Member(operator, token))


@pytest.fixture(autouse=True)
def _reset_schema_and_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "cast" in request.fixturenames:  # a test may have changed them in memory only
        cast = request.getfixturevalue("cast")
        with request.getfixturevalue("django_db_blocker").unblock():
            for place in (cast.a, cast.b):
                place.neighbourhood.refresh_from_db()
    connection.set_schema_to_public()
    for alias in ("default", "platform"):
        caches[alias].clear()


@pytest.fixture
def operator_client(cast: Cast):  # type: ignore[no-untyped-def]
    return client_for(PLATFORM_HOST, None, cast.operator)


@dataclass
class SmtpSink:
    """A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread of the test process) that keeps
    the Message-ID of each mail it accepts. With `refuse` set it answers DATA with that reply
    instead (e.g. "451 4.3.0 Try again later"); `on_accept(count)` runs after it has stored a
    mail and before it answers, the moment a sender's crash makes a duplicate."""

    port: int
    message_ids: list[str] = field(default_factory=list)
    refuse: str | None = None
    on_accept: Callable[[int], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse
        message_id = email.message_from_bytes(envelope.content)["Message-ID"]
        with self._lock:
            self.message_ids.append(message_id)
            count = len(self.message_ids)
        if self.on_accept:
            self.on_accept(count)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()
