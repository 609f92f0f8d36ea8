"""Tests marked `alone` run while no other pytest-xdist worker runs a test.

For tests that change what every process of the checkout reads (a migration file written into
the source tree) or that hold a time limit only with both cores to themselves (the demo's
cold starts, the staff pages' 300 ms). A readers-writer lock over `flock` on two files in
the checkout's data folder: every other test holds it shared; an `alone` test takes the
turnstile first, so no test starts beside it while it waits, then the lock exclusively.
Locks end with their process, so a crashed worker blocks nobody.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings

MARK = "alone"


@contextmanager
def turn(item: pytest.Item) -> Iterator[None]:
    """Around one test's setup, call and teardown (fixtures of wider scope included)."""
    if not hasattr(item.config, "workerinput"):  # one process: every test runs alone anyway
        yield
        return
    alone = item.get_closest_marker(MARK) is not None
    folder = settings.DATA_DIR / "test-files"
    folder.mkdir(parents=True, exist_ok=True)
    with (
        (folder / "alone.turnstile").open("a") as turnstile,
        (folder / "alone.lock").open("a") as lock,
    ):
        fcntl.flock(turnstile, fcntl.LOCK_EX)  # waits while an `alone` test waits or runs
        if not alone:
            fcntl.flock(turnstile, fcntl.LOCK_UN)
        fcntl.flock(lock, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        yield
    # closing the files released both locks
