"""A real HTTP server in a thread, for tests that need one: the browser tests and the tests
that fire parallel requests. It runs the whole WSGI stack (WhiteNoise serves /static/).

Not pytest-django's `live_server`: that fixture asks for `transactional_db`, whose flush at
the end of a test would wipe the session's cast. This server's threads have their own database
connections, so they see only committed rows (docs/testing.md, "Tests whose work must commit").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

from tests.support.cast import PLATFORM_HOST


@dataclass(frozen=True)
class LiveSite:
    port: int

    def url(self, host: str = PLATFORM_HOST, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"


class _QuietRequestHandler(WSGIRequestHandler):
    timeout = 5  # an idle keep-alive connection ends, and its thread with it

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature
        pass


class _LiveServer(ThreadedWSGIServer):
    daemon_threads = False  # server_close() then waits until every request thread closed
    # its database connections, so that the test database can be dropped afterwards.


@contextmanager
def serving() -> Iterator[LiveSite]:
    """Serve on 127.0.0.1 and a free port until the block ends."""
    httpd = _LiveServer(("127.0.0.1", 0), _QuietRequestHandler, allow_reuse_address=False)
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, name="live-site", daemon=True)
    thread.start()
    try:
        yield LiveSite(port=httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
