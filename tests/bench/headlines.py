#!/usr/bin/env python3
"""Benchmark: the operator's figures page (every active neighbourhood's headline figures side
by side) at 500 neighbourhoods, against a bare baseline view, in one run.

Run on demand from the repository root (pytest never collects it: it is not a test_*.py):

    .venv/bin/python tests/bench/headlines.py               # 500 neighbourhoods, 50 requests
    .venv/bin/python tests/bench/headlines.py --n 1000 --check

Like the other benchmarks it works in a scratch database (tve_bench_<pid>) on the embedded
PostgreSQL, with the test settings, and drops it at the end. It writes N neighbourhood rows
(registry rows only: the page never enters a neighbourhood's schema, which is the point) and
their headline figures for two periods through `record_headlines`, then calls the console's
view as a verified operator (RequestFactory, so without the middleware), alternating in
blocks of 10 with a baseline view that runs one trivial query. The last line is
`neighbourhoods=… page_ms=… queries=… baseline_ms=… ratio=…` with the medians and
ratio = page_ms / baseline_ms. Target: page_ms < 200; --check exits 1 when it is missed.
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

from provisioning import _say, scratch_database  # noqa: E402

TARGET_MS = 200
BLOCK = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="neighbourhoods (default 500)")
    parser.add_argument("--requests", type=int, default=50, help="requests per kind")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    options = parser.parse_args()
    with scratch_database():
        return _run(options.n, max(options.requests, BLOCK), options.check)


def _build(n: int):  # type: ignore[no-untyped-def]
    import datetime

    from django.utils import timezone

    from tijdvoorelkaar.accounts.models import Role, User
    from tijdvoorelkaar.headlines.services import record_headlines
    from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

    made = Neighbourhood.objects.bulk_create(
        Neighbourhood(schema_name=f"bench_{i}", name=f"Wijk {i:04}", slug=f"bench-{i}")
        for i in range(n)
    )
    now = timezone.now()
    for i, neighbourhood in enumerate(made):
        for key, start in (
            ("term", datetime.date(2020, 1, 1)),
            ("2025", datetime.date(2025, 1, 1)),
        ):
            record_headlines(
                neighbourhood=neighbourhood,
                period_key=key,
                period_start=start,
                period_end=datetime.date(2025, 12, 31),
                computed_at=now,
                figures={
                    "mediations": i % 300,
                    "matches": i % 150,
                    "participants_new": i % 7,
                    "participants_active": i % 90,
                    "participants_total": i % 400,
                    "group_visits": i % 4,
                    "ads_placed": i % 200,
                    "visits": i * 31,
                    "unique_visitors": i * 12,
                    "credits_issued": None if i % 2 else i % 500,
                },
            )
    return User.objects.create_user(
        "operator@bench.test", "bench-password-123", full_name="Operator", role=Role.OPERATOR
    )


def _run(n: int, requests: int, check: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from tijdvoorelkaar.console.views import HeadlinesView

    call_command("migrate_schemas", "--shared", interactive=False, verbosity=0)
    from django.conf import settings
    from django.urls import set_urlconf

    set_urlconf(settings.PUBLIC_SCHEMA_URLCONF)  # the console's URLs, as on the platform host
    operator = _build(n)
    operator.is_verified = lambda: True  # the second step, as OTPMiddleware would say
    factory = RequestFactory()
    page_view = HeadlinesView.as_view()

    def page() -> HttpResponse:
        request = factory.get("/figures/", {"period": "term"})
        request.user = operator
        request.session = {}
        response = page_view(request)
        assert response.status_code == 200, response.status_code
        return response

    def baseline() -> HttpResponse:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return HttpResponse("ok")

    page()
    baseline()  # warm-up
    with CaptureQueriesContext(connection) as queries:
        page()
    page_times: list[float] = []
    baseline_times: list[float] = []
    while len(page_times) < requests:
        for kind, times in ((page, page_times), (baseline, baseline_times)):
            for _ in range(BLOCK):
                started = time.perf_counter()
                kind()
                times.append(time.perf_counter() - started)
    page_ms = statistics.median(page_times) * 1000
    baseline_ms = statistics.median(baseline_times) * 1000
    met = page_ms < TARGET_MS
    _say(
        f"{len(page_times)} page requests; target page_ms < {TARGET_MS}: "
        + ("met" if met else "MISSED")
    )
    print(
        f"neighbourhoods={n} page_ms={page_ms:.1f} queries={len(queries)} "
        f"baseline_ms={baseline_ms:.2f} ratio={page_ms / baseline_ms:.1f}",
        flush=True,
    )
    return 1 if check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
