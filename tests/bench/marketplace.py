#!/usr/bin/env python3
"""Benchmark: the marketplace's list page against a bare baseline view, in one run.

Run on demand from the repository root (pytest never collects it: it is not a test_*.py):

    .venv/bin/python tests/bench/marketplace.py               # 300 requests per kind
    .venv/bin/python tests/bench/marketplace.py --n 500 --check

Like tests/bench/provisioning.py it starts the embedded PostgreSQL when DATABASE_URL is unset,
works in a scratch database (tve_bench_<pid>) that it drops at the end, and runs with the test
settings. It provisions one neighbourhood through the real service, adds 200 participants and
500 published ads (bulk inserts plus one update for the search vectors), and then serves, with
Django's test client on the neighbourhood's host (so the same middleware, host routing and
schema switch as in production):
  - the list page, rotating over /ads/, /ads/?page=5, /ads/?q=<word> and
    /ads/?kind=offer&category=<id> (search and filters included);
  - a bare baseline view registered only here (appended to the neighbourhood URLconf): one
    trivial query (SELECT 1) and a tiny response.
Requests alternate in blocks of 20 (list, baseline, ...) after a warm-up, so both see the same
machine state. The last line is `list_rps=… baseline_rps=… ratio=… p95_ms=…` (the line
before it gives RSS and the uncached median) with ratio = list_rps / baseline_rps and p95_ms
the 95th percentile latency of the list page. The list page is cached for anonymous visitors
(tenants/market/cache.py), as in production; the first request of each path renders it, and
the uncached median is that of extra requests made after invalidating the cache each time (for
the record, not a target).
Targets: ratio ≥ 0.5 and rss < 250 MB; with --check the exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from provisioning import _rss_mb, _say, migrate_in_a_child, scratch_database  # noqa: E402

PROFILE = False
RATIO_TARGET = 0.5
RSS_LIMIT_MB = 250
ADS = 500
PARTICIPANTS = 200
BLOCK = 20
WORDS = ["tuin", "fiets", "computer", "hond", "koffie", "boodschappen", "les", "klus"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="requests per kind (default 300)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of uncached renders"
    )
    options = parser.parse_args()
    global PROFILE
    PROFILE = options.profile
    with scratch_database():
        return _run(max(options.n, BLOCK), options.check)


def _run(n: int, check: bool) -> int:
    import django

    django.setup()

    migrate_in_a_child()
    host, neighbourhood = _build()
    _add_baseline()
    from django.test import Client

    client = Client(HTTP_HOST=host)
    category_id = _category_id(neighbourhood)
    list_paths = [
        "/ads/",
        "/ads/?page=5",
        *(f"/ads/?q={w}" for w in WORDS),
        f"/ads/?kind=offer&category={category_id}",
    ]
    for path in [*list_paths, "/bench/baseline/"]:  # warm-up, not counted
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    list_times: list[float] = []
    baseline_times: list[float] = []
    index = 0
    while len(list_times) < n:
        for _ in range(BLOCK):
            path = list_paths[index % len(list_paths)]
            index += 1
            started = time.perf_counter()
            response = client.get(path)
            list_times.append(time.perf_counter() - started)
            assert response.status_code == 200
        for _ in range(BLOCK):
            started = time.perf_counter()
            response = client.get("/bench/baseline/")
            baseline_times.append(time.perf_counter() - started)
            assert response.status_code == 200

    # For the record: the same pages when every request misses the cache (an ad changed).
    from tenants.market.cache import bump_list_version

    uncached: list[float] = []
    for index in range(len(list_paths) * 4):
        bump_list_version(warm=False)
        started = time.perf_counter()
        client.get(list_paths[index % len(list_paths)])
        uncached.append(time.perf_counter() - started)
    uncached_ms = statistics.median(uncached) * 1000
    if PROFILE:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for index in range(len(list_paths) * 4):
            bump_list_version(warm=False)
            client.get(list_paths[index % len(list_paths)])
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)
        profiler.dump_stats("/tmp/market-list.prof")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for path in list_paths[:3]:
            bump_list_version(warm=False)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            for query in queries:
                print(path, query["time"], query["sql"][:300], file=sys.stderr)
            with connection.cursor() as cursor:
                for query in queries:
                    if "market_ad" in query["sql"] and "COUNT" not in query["sql"]:
                        cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                        print("\n".join(r[0] for r in cursor.fetchall()), file=sys.stderr)

    list_rps = len(list_times) / sum(list_times)
    baseline_rps = len(baseline_times) / sum(baseline_times)
    ratio = list_rps / baseline_rps
    p95_ms = statistics.quantiles(list_times, n=20)[-1] * 1000
    rss_mb, peak_mb = _rss_mb()
    met = ratio >= RATIO_TARGET and rss_mb < RSS_LIMIT_MB
    _say(
        f"{len(list_times)} list requests (median {statistics.median(list_times) * 1000:.1f} ms),"
        f" {len(baseline_times)} baseline (median "
        f"{statistics.median(baseline_times) * 1000:.1f} ms); uncached median "
        f"{uncached_ms:.1f} ms; rss {rss_mb:.0f} MB (peak {peak_mb:.0f}); "
        f"targets: ratio ≥ {RATIO_TARGET}, rss < {RSS_LIMIT_MB} MB: " + ("met" if met else "MISSED")
    )
    print(  # the format, exactly, as the last line
        f"list_rps={list_rps:.1f} baseline_rps={baseline_rps:.1f} ratio={ratio:.3f} "
        f"p95_ms={p95_ms:.1f}",
        flush=True,
    )
    return 1 if check and not met else 0


def _build():  # type: ignore[no-untyped-def]
    """One neighbourhood with 200 participants and 500 published ads."""
    import datetime
    import random

    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenants.market.models import Ad, AdStatus, Category
    from tenants.market.services.ads import ad_search_vector
    from tenants.market.services.lists import add_sub_area
    from tenants.people.models import Participant
    from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec, provision_neighbourhood

    started = time.perf_counter()
    spec = NeighbourhoodSpec(
        name="Bench Markt",
        slug="bench-markt",
        domains=["bench-markt.test"],
        admin_email="admin@bench-markt.test",
        admin_name="Admin",
        broker_phone="030 000 00 00",
    )
    neighbourhood = provision_neighbourhood(spec=spec)
    rng = random.Random(42)  # noqa: S311 - benchmark data
    with tenant_context(neighbourhood):
        areas = [add_sub_area(name=name, by=None) for name in ("Noord", "Zuid", "Oost", "West")]
        people = Participant.objects.bulk_create(
            Participant(
                display_name=f"Buur {n}", email=f"buur{n}@example.org", sub_area=areas[n % 4]
            )
            for n in range(PARTICIPANTS)
        )
        categories = list(Category.objects.all())
        now = timezone.now()
        Ad.objects.bulk_create(
            Ad(
                kind="offer" if n % 2 else "request",
                title=f"{rng.choice(WORDS).title()} en meer, nummer {n}",
                body=" ".join(rng.choice(WORDS) for _ in range(30)) + " in de buurt.",
                category=categories[n % len(categories)],
                sub_area=areas[n % 4],
                participant=people[n % PARTICIPANTS],
                status=AdStatus.PUBLISHED,
                confirmed_at=now,
                published_at=now - datetime.timedelta(minutes=n),
                expires_at=now + datetime.timedelta(weeks=8),
            )
            for n in range(ADS)
        )
        Ad.objects.update(search_vector=ad_search_vector())
        from django.db import connection

        with connection.cursor() as cursor:  # as autovacuum does after a bulk load
            cursor.execute("ANALYZE")
    _say(
        f"built a neighbourhood with {PARTICIPANTS} participants and {ADS} ads in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return spec.domains[0], neighbourhood


def _category_id(neighbourhood) -> int:  # type: ignore[no-untyped-def]
    from django_tenants.utils import tenant_context

    from tenants.market.models import Category

    with tenant_context(neighbourhood):
        return Category.objects.order_by("position").values_list("pk", flat=True)[1]


def _add_baseline() -> None:
    """A bare view on the neighbourhood's URLconf, for this run only."""
    from django.db import connection
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    from tijdvoorelkaar import urls_neighbourhood

    def baseline(request):  # type: ignore[no-untyped-def]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return HttpResponse("ok")

    urls_neighbourhood.urlpatterns.insert(0, path("bench/baseline/", baseline))
    clear_url_caches()


if __name__ == "__main__":
    sys.exit(main())
