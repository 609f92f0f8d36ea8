#!/usr/bin/env python3
"""Benchmark: N neighbourhoods in a row (issue 13, target 3: 100 in a row, median ≤ 0.1 s
each, p95 ≤ 0.5 s), one at a time and as one batch.

Run on demand from the repository root (pytest never collects it: it is not a test_*.py):

    .venv/bin/python tests/bench/in_a_row.py            # N = 100
    .venv/bin/python tests/bench/in_a_row.py --n 100 --check

Like tests/bench/provisioning.py it starts the embedded PostgreSQL when DATABASE_URL is unset
and works in a scratch database that it drops at the end. In one run it
  1. migrates the empty database (which builds the blueprint);
  2. "one at a time": provisions N neighbourhoods one after another through
     `provision_neighbourhood`, as N commands or API calls would, with the spare pool of the
     production size (PROVISIONING_SPARE_SCHEMAS, default 5) full at the start and the refill
     each provisioning queues run after commit by a thread beside the next ones, as the worker
     would (tests/bench/scale.py's provisioning step);
  3. "batch": provisions N more through `provision_neighbourhoods` (the `provision_neighbourhoods`
     command and the API's bulk endpoint), which builds the spares the batch needs first
     (timed as `prepare`), then provisions each from one (each timed).
The last line is `n=… single_median_s=… single_p95_s=… single_max_s=… batch_prepare_s=…
batch_median_s=… batch_p95_s=… batch_max_s=… batch_total_s=… single_ratio=…`, where
single_ratio = the single median / the batch median: one at a time against a provisioning
from a ready spare, measured in the same run (the figure to compare across loads). The
target applies to both ways (each neighbourhood's time; the batch's preparation is reported
beside it); --check exits with 1 when either misses it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from provisioning import _say, scratch_database  # noqa: E402

TARGET_MEDIAN_S = 0.1
TARGET_P95_S = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="neighbourhoods per way (default 100)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    options = parser.parse_args()
    with scratch_database():
        return _run(options.n, options.check)


def _run(n: int, check: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from scale import _provision

    call_command("migrate", interactive=False, verbosity=0)
    single = _provision(range(n))
    prepare, batch, total = _batch(n)
    met = all(
        statistics.median(times) <= TARGET_MEDIAN_S and _p95(times) <= TARGET_P95_S
        for times in (single, batch)
    )
    ratio = statistics.median(single) / statistics.median(batch)
    _say(
        f"one at a time: median {statistics.median(single):.3f} s, p95 {_p95(single):.3f} s,"
        f" max {max(single):.3f} s; batch: spares built in {prepare:.1f} s, then median"
        f" {statistics.median(batch):.3f} s, p95 {_p95(batch):.3f} s, max {max(batch):.3f} s,"
        f" {total:.1f} s in all; target (median ≤ {TARGET_MEDIAN_S} s, p95 ≤ {TARGET_P95_S} s"
        " each, both ways): " + ("met" if met else "MISSED")
    )
    print(
        f"n={n} single_median_s={statistics.median(single):.3f} single_p95_s={_p95(single):.3f}"
        f" single_max_s={max(single):.3f} batch_prepare_s={prepare:.2f}"
        f" batch_median_s={statistics.median(batch):.3f} batch_p95_s={_p95(batch):.3f}"
        f" batch_max_s={max(batch):.3f} batch_total_s={total:.1f} single_ratio={ratio:.1f}",
        flush=True,
    )
    return 1 if check and not met else 0


def _batch(n: int) -> tuple[float, list[float], float]:
    """One batch of N through the service; (preparation s, each neighbourhood's s, total s)."""
    from tests.support.cast import spec_for
    from tijdvoorelkaar.neighbourhoods import bulk

    marks: list[float] = []
    real_spares_for = bulk.spares_for

    @contextmanager
    def timed_spares_for(count: int) -> Iterator[int]:
        with real_spares_for(count) as built:
            marks.append(time.perf_counter())  # the spares are ready: provisioning starts
            yield built

    bulk.spares_for = timed_spares_for
    try:
        started = time.perf_counter()
        bulk.provision_neighbourhoods(
            specs=[spec_for(f"batch-{index}") for index in range(n)],
            progress=lambda _done, _total, _slug: marks.append(time.perf_counter()),
        )
        total = time.perf_counter() - started
    finally:
        bulk.spares_for = real_spares_for
    each = [after - before for before, after in zip(marks, marks[1:], strict=False)]
    return marks[0] - started, each, total


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


if __name__ == "__main__":
    sys.exit(main())
