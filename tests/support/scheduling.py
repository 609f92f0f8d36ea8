"""In what order and in what units pytest-xdist hands out the suite (docs/testing.md).

`--dist=loadfile --no-loadscope-reorder` gives each worker whole files, in collection order,
as it asks for them (when it has two tests or fewer left). What made a run longer than its
work: a long file that started late ended the run on one worker while the other had nothing
left; a file too big to share (the URL walk's 1,060 tests) kept one worker busy on its own;
and an `alone` test waited for the other worker's test to end, however long that took.
So each worker sorts its collection (the same way: xdist compares them) into:

1. `LONG_FIRST`, longest first: each goes to the next free worker, so the long ones end
   early and the short ones fill up behind them.
2. The other files, in collection order.
3. Files with an `alone` test (even if long): by then the other worker runs short tests, so
   it waits little for the other to start; while one runs, the other core idles.
4. The files of `BY_TEST` not already above.

and the scheduler hands out a test of a `BY_TEST` file as a unit of its own, so that
whichever worker is free takes the next one, and both end within a test of each other.
That is only for files whose module fixtures are cheap, or, as for the sweep, whose tests
each need only their own part of them: each worker that runs one of its tests builds them.
In one process (`-n 0`) the order is the collection's.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from xdist.scheduler import LoadFileScheduling

from tests.support import alone

# The files that take longest (of the whole run's test time), longest first.
LONG_FIRST = (
    "tests/browser/test_every_page.py",  # three sweeps (by test)
    "tests/tijdvoorelkaar/api/test_schema_fuzzing.py",  # four runs (by test)
    "tests/tijdvoorelkaar/neighbourhoods/test_provisioning_committed.py",
    "tests/worker/test_newsletter_faults.py",
    "tests/worker/test_outbox_faults.py",
    "tests/tijdvoorelkaar/neighbourhoods/test_schema_ids.py",
    "tests/tijdvoorelkaar/operations/test_restore_drill.py",
    "tests/tenants/credits/test_credits_stateful.py",
    "tests/browser/test_marketplace.py",
    "tests/browser/test_outreach_journey.py",
    "tests/tenants/credits/test_credits_no_trace.py",
    "tests/browser/test_broker_journey.py",
    "tests/browser/test_console_and_themes.py",
)
# Files whose tests go out one by one.
BY_TEST = (
    "tests/browser/test_every_page.py",
    "tests/tijdvoorelkaar/api/test_schema_fuzzing.py",
    "tests/isolation/test_url_walk.py",
    "tests/isolation/test_odd_input.py",
)


def path_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def in_order(items: Sequence[pytest.Item]) -> list[pytest.Item]:
    """`items` in the order above; within each group, in collection order."""
    with_alone = {path_of(item.nodeid) for item in items if item.get_closest_marker(alone.MARK)}

    def group(item: pytest.Item) -> tuple[int, int]:
        path = path_of(item.nodeid)
        if path in with_alone:  # never first: the other worker would wait at once
            return (2, 0)
        if path in LONG_FIRST:
            return (0, LONG_FIRST.index(path))
        return (3, 0) if path in BY_TEST else (1, 0)

    return sorted(items, key=group)  # stable


class Scheduling(LoadFileScheduling):
    """`--dist=loadfile`, with a unit per test for the files of `BY_TEST`."""

    def _split_scope(self, nodeid: str) -> str:
        return nodeid if path_of(nodeid) in BY_TEST else path_of(nodeid)
