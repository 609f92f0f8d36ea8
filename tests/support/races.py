"""Racing work on real connections: threads released together, for tests of row locks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

# Names of what race tests make, so their cleanup (credits' `committed`) can remove it.
RACE_PREFIX = "Race "


def race(count: int, work: Callable[[int], object]) -> list[object]:
    """Run `work(i)` in `count` threads, each on its own connection, released together; a
    refusal (`ValidationError`) is returned as the outcome, in English."""
    start = threading.Barrier(count)

    def one(i: int) -> object:
        try:
            start.wait()
            with translation.override("en"):
                return work(i)
        except ValidationError as refused:
            return refused
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))
