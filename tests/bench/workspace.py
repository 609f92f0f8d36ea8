#!/usr/bin/env python3
"""Benchmark: the broker's dashboard and routing board at 20 and at 2,000 participants, and the
morning digest, in one run.

Run on demand from the repository root (pytest never collects it):

    .venv/bin/python tests/bench/workspace.py            # 50 requests per page and size
    .venv/bin/python tests/bench/workspace.py --check    # exit 1 when a target is missed

Like the other benchmarks it starts the embedded PostgreSQL when DATABASE_URL is unset and
works in a scratch database that it drops at the end. It provisions one neighbourhood, logs a
verified broker in (Django's test client on the neighbourhood's host: the whole middleware),
and measures:
  - the dashboard (/broker/) and the board (/broker/board/) with 20 participants (the
    baseline), then again after growing to 2,000 participants with as many trajectories,
    1,000 mediations and their follow-ups, many of them due: median times and query counts;
  - the morning digest task body for that neighbourhood (2,000 participants), and the fan-out
    of the digest to 500 neighbourhoods (the queueing loop alone; each neighbourhood's digest
    is its own short task).
The last line is
`dashboard_ratio=… board_ratio=… dashboard_queries=…/… board_queries=…/… digest_ms=…
fanout_500_ms=… rss_mb=…` with ratio = median at 2,000 / median at 20 participants.
Targets: equal query counts at both sizes, ratios ≤ 3 (the pages show at most a fixed number
of rows), digest under 1 s, rss < 250 MB.
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

SMALL, LARGE = 20, 2000
RATIO_LIMIT = 3.0
DIGEST_LIMIT_MS = 1000
RSS_LIMIT_MB = 250
FANOUT_NEIGHBOURHOODS = 500
PAGES = ("/broker/", "/broker/board/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="requests per page and size")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    options = parser.parse_args()
    with scratch_database():
        return _run(options.n, options.check)


def _run(n: int, check: bool) -> int:
    import django

    django.setup()

    migrate_in_a_child()
    neighbourhood, client = _neighbourhood_and_broker()
    _grow(neighbourhood, SMALL)
    small = {page: _measure(client, page, n) for page in PAGES}
    _grow(neighbourhood, LARGE)
    large = {page: _measure(client, page, n) for page in PAGES}
    digest_ms = _digest_ms(neighbourhood)
    fanout_ms = _fanout_ms(FANOUT_NEIGHBOURHOODS)

    ratios = {page: large[page][0] / small[page][0] for page in PAGES}
    same_queries = all(small[page][1] == large[page][1] for page in PAGES)
    rss_mb, peak_mb = _rss_mb()
    met = (
        same_queries
        and max(ratios.values()) <= RATIO_LIMIT
        and digest_ms < DIGEST_LIMIT_MS
        and rss_mb < RSS_LIMIT_MB
    )
    for page in PAGES:
        _say(
            f"{page}: {small[page][0]:.1f} ms with {SMALL} participants, "
            f"{large[page][0]:.1f} ms with {LARGE}; queries {small[page][1]} / {large[page][1]}"
        )
    _say(
        f"peak rss {peak_mb:.0f} MB; targets: equal queries, ratio ≤ {RATIO_LIMIT}, digest < "
        f"{DIGEST_LIMIT_MS} ms, rss < {RSS_LIMIT_MB} MB: " + ("met" if met else "MISSED")
    )
    print(
        f"dashboard_ratio={ratios['/broker/']:.2f} board_ratio={ratios['/broker/board/']:.2f} "
        f"dashboard_queries={small['/broker/'][1]}/{large['/broker/'][1]} "
        f"board_queries={small['/broker/board/'][1]}/{large['/broker/board/'][1]} "
        f"digest_ms={digest_ms:.1f} fanout_{FANOUT_NEIGHBOURHOODS}_ms={fanout_ms:.1f} "
        f"rss_mb={rss_mb:.0f}",
        flush=True,
    )
    return 1 if check and not met else 0


def _neighbourhood_and_broker():  # type: ignore[no-untyped-def]
    from django.test import Client
    from django_tenants.utils import tenant_context

    from tests.support.cast import activate, force_login_verified
    from tijdvoorelkaar.accounts.models import Role
    from tijdvoorelkaar.accounts.services import invite_user
    from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec, provision_neighbourhood

    spec = NeighbourhoodSpec(
        name="Bench Werkplek",
        slug="bench-werkplek",
        domains=["bench-werkplek.test"],
        admin_email="admin@bench-werkplek.test",
    )
    neighbourhood = provision_neighbourhood(spec=spec)
    client = Client(HTTP_HOST=spec.domains[0])
    with tenant_context(neighbourhood):
        admin = activate(neighbourhood_admin())
        broker = activate(
            invite_user(
                email="makelaar@bench-werkplek.test",
                full_name="M",
                role=Role.BROKER,
                invited_by=admin,
            )
        )
        force_login_verified(client, broker)
    return neighbourhood, client


def neighbourhood_admin():  # type: ignore[no-untyped-def]
    from tijdvoorelkaar.accounts.models import Role, User

    return User.objects.get(role=Role.ADMIN)


def _grow(neighbourhood, total: int) -> None:  # type: ignore[no-untyped-def]
    """Bring the neighbourhood to `total` participants, each at a routing step, with one
    mediation per two participants (its follow-ups partly due) and a published ad each."""
    import datetime

    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenants.brokerage.models import RoutingStep, Trajectory
    from tenants.market.models import Ad, AdStatus, Category
    from tenants.mediations.models import FollowUp, Mediation
    from tenants.people.models import Participant

    started = time.perf_counter()
    with tenant_context(neighbourhood):
        have = Participant.objects.count()
        steps = list(RoutingStep.objects.filter(is_active=True))
        category = Category.objects.first()
        today = timezone.localdate()
        now = timezone.now()
        people = Participant.objects.bulk_create(
            Participant(display_name=f"Buur {n}", phone=f"06{n:08d}") for n in range(have, total)
        )
        Trajectory.objects.bulk_create(
            Trajectory(
                participant=person,
                step=steps[index % (len(steps) - 1)],
                moved_at=now - datetime.timedelta(days=index % 60),
            )
            for index, person in enumerate(people)
        )
        Ad.objects.bulk_create(
            Ad(
                kind="offer" if index % 2 else "request",
                title=f"Hulp {index}",
                body="Boodschappen en een praatje.",
                category=category,
                participant=person,
                status=AdStatus.PUBLISHED if index % 10 else AdStatus.AWAITING_APPROVAL,
                published_at=now,
                expires_at=now + datetime.timedelta(weeks=8),
            )
            for index, person in enumerate(people)
        )
        mediations = Mediation.objects.bulk_create(
            Mediation(
                requester=people[index],
                provider=people[index + 1],
                active=True,
                started_on=today - datetime.timedelta(days=index % 50),
            )
            for index in range(0, len(people) - 1, 2)
        )
        FollowUp.objects.bulk_create(
            FollowUp(mediation=mediation, due_on=mediation.started_on + datetime.timedelta(weeks=2))
            for mediation in mediations
        )
    _say(f"grew to {total} participants in {time.perf_counter() - started:.1f} s")


def _measure(client, path: str, n: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    assert client.get(path).status_code == 200, path  # warm-up (the session's first request)
    with connection.execute_wrapper(count):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return statistics.median(times) * 1000, len(queries)


def _digest_ms(neighbourhood) -> float:  # type: ignore[no-untyped-def]
    from django.db import transaction
    from django_tenants.utils import tenant_context

    from tenants.mediations.services import send_morning_digest

    with tenant_context(neighbourhood):
        started = time.perf_counter()
        with transaction.atomic():
            sent = send_morning_digest()
            transaction.set_rollback(True)  # measure, do not keep the mail
        elapsed = (time.perf_counter() - started) * 1000
    assert sent == 1, sent
    return elapsed


def _fanout_ms(count: int) -> float:
    """The beat entry's own work for `count` neighbourhoods: queue one task each."""
    from unittest import mock

    from tijdvoorelkaar.neighbourhoods import tasks as platform_tasks

    names = [f"nb_bench_{n}" for n in range(count)]
    with (
        mock.patch("tijdvoorelkaar.neighbourhoods.tasks.active_schema_names", return_value=names),
        mock.patch.object(platform_tasks.app, "send_task") as send_task,
    ):
        started = time.perf_counter()
        queued = platform_tasks.fan_out("mediations.send_morning_digest")
        elapsed = (time.perf_counter() - started) * 1000
    assert queued == count and send_task.call_count == count
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
