#!/usr/bin/env python3
"""Benchmark: the credits ledger at scale against a bare baseline, in one run.

Run on demand from the repository root (pytest never collects it):

    .venv/bin/python tests/bench/credits.py            # 20,000 participants, 1,000,000 movements
    .venv/bin/python tests/bench/credits.py --check    # exit 1 when a target is missed

Like the other benchmarks it works in a scratch database (tve_bench_<pid>) on the embedded
PostgreSQL, dropped at the end, with the test settings. It provisions one neighbourhood with
credits on, then (bulk SQL, for the benchmark only: the services insert row by row) 20,000
participants with an account each and 500,000 rewards of one credit from the neighbourhood's
issuing account: 1,000,000 movements. Then, through the real selectors and services:
  - balance_ms: a participant's balance (the sum of their movements), median of 200;
  - statement_ms: the first page (25 lines) of a participant's statement with its running
    balance, median of 200;
  - reward_480_s: one reward of 480 volunteers (`reward_participants`), median of 5;
  - transfer_p95_ms: 200 thank-yous between random participants (`give_credits`), p95;
  - queries: the queries of one such transfer;
  - baseline_ms: one `SELECT COUNT(*)` over all movements, median of 20, measured in the
    same run; the ratios are each figure over it (a ratio < 1: quicker than counting once).
Targets: reward_480_s ≤ 2 and rss < 250 MB (the ratios are for the record).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from provisioning import _rss_mb, _say, migrate_in_a_child, scratch_database  # noqa: E402

PARTICIPANTS = 20_000
REWARDS = 500_000  # two movements each
RSS_LIMIT_MB = 250
REWARD_TARGET_S = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the data (0.1)")
    options = parser.parse_args()
    with scratch_database():
        return _run(options.check, options.scale)


def _ms(seconds: float) -> float:
    return seconds * 1000


def _timed(work, times: int) -> list[float]:  # type: ignore[no-untyped-def]
    spent = []
    for i in range(times):
        started = time.perf_counter()
        work(i)
        spent.append(time.perf_counter() - started)
    return spent


def _run(check: bool, scale: float) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import tenant_context

    from tenants.credits.models import Account
    from tenants.credits.selectors import balance, statement
    from tenants.credits.services import give_credits, reward_participants
    from tenants.people.models import Participant

    migrate_in_a_child()
    neighbourhood = _build(int(PARTICIPANTS * scale), int(REWARDS * scale))
    rng = random.Random(11)  # noqa: S311 - benchmark data
    with tenant_context(neighbourhood):
        accounts = list(Account.objects.filter(kind="participant").order_by("?")[:400])
        people = list(Participant.objects.order_by("id")[:2000])

        def count(_i: int) -> None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM credits_movement")
                cursor.fetchone()

        baseline = statistics.median(_timed(count, 20))
        balances = _timed(lambda i: balance(accounts[i]), 200)
        statements = _timed(lambda i: list(statement(accounts[i])[:25]), 200)
        rewards = _timed(
            lambda i: reward_participants(
                recipients=people[i * 480 : (i + 1) * 480],
                amount_each=Decimal(1),
                by=None,
                description=f"Bench {i}",
            ),
            4,
        )

        def thank(_i: int) -> None:
            giver, receiver = rng.sample(people[:1920], 2)
            give_credits(
                giver=giver, receiver=receiver, amount=Decimal("0.25"), by=None, description="Dank"
            )

        transfers = _timed(thank, 200)
        with CaptureQueriesContext(connection) as queries:
            thank(0)

    balance_ms = _ms(statistics.median(balances))
    statement_ms = _ms(statistics.median(statements))
    reward_s = statistics.median(rewards)
    p95_ms = _ms(statistics.quantiles(transfers, n=20)[-1])
    baseline_ms = _ms(baseline)
    rss_mb, peak_mb = _rss_mb()
    met = reward_s <= REWARD_TARGET_S and rss_mb < RSS_LIMIT_MB
    _say(
        f"rss {rss_mb:.0f} MB (peak {peak_mb:.0f}); ratios to one COUNT(*) over the movements "
        f"({baseline_ms:.1f} ms): balance {balance_ms / baseline_ms:.4f}, statement "
        f"{statement_ms / baseline_ms:.4f}, reward of 480 {_ms(reward_s) / baseline_ms:.2f}, "
        f"transfer p95 {p95_ms / baseline_ms:.3f}; targets: reward ≤ {REWARD_TARGET_S} s, "
        f"rss < {RSS_LIMIT_MB} MB: " + ("met" if met else "MISSED")
    )
    print(  # the format, as the last line
        f"balance_ms={balance_ms:.2f} statement_ms={statement_ms:.2f} "
        f"reward_480_s={reward_s:.3f} transfer_p95_ms={p95_ms:.1f} queries={len(queries)} "
        f"baseline_ms={baseline_ms:.1f}",
        flush=True,
    )
    return 1 if check and not met else 0


def _build(participants: int, rewards: int):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenants.credits.models import Account
    from tenants.credits.services import account_for
    from tenants.people.models import Participant
    from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
    from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec, provision_neighbourhood

    started = time.perf_counter()
    spec = NeighbourhoodSpec(
        name="Bench Roosjes",
        slug="bench-roosjes",
        domains=["bench-roosjes.test"],
        admin_email="admin@bench-roosjes.test",
        admin_name="Admin",
        broker_phone="030 000 00 00",
    )
    neighbourhood = provision_neighbourhood(spec=spec)
    Neighbourhood.objects.filter(pk=neighbourhood.pk).update(credits_enabled=True)
    neighbourhood.refresh_from_db()
    with tenant_context(neighbourhood):
        Participant.objects.bulk_create(
            (Participant(display_name=f"Buur {n}") for n in range(participants)), batch_size=5000
        )
        Account.objects.bulk_create(
            (
                Account(kind="participant", participant_id=pk)
                for pk in Participant.objects.values_list("pk", flat=True)
            ),
            batch_size=5000,
        )
        issuing = account_for(kind=Account.Kind.NEIGHBOURHOOD_ISSUING)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO credits_transfer (kind, description, made_at) "
                "SELECT 'reward', 'Bench', now() - make_interval(secs => g) "
                "FROM generate_series(1, %s) g",
                [rewards],
            )
            cursor.execute(
                "INSERT INTO credits_movement (transfer_id, account_id, amount) "
                "SELECT t.id, %s, -1 FROM credits_transfer t",
                [issuing.pk],
            )
            cursor.execute(
                "WITH a AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n "
                "FROM credits_account WHERE kind = 'participant') "
                "INSERT INTO credits_movement (transfer_id, account_id, amount) "
                "SELECT t.id, a.id, 1 FROM credits_transfer t JOIN a ON a.n = t.id %% %s",
                [participants],
            )
            cursor.execute("ANALYZE")
    _say(
        f"built a neighbourhood with {participants} participants and {2 * rewards} movements "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return neighbourhood


if __name__ == "__main__":
    sys.exit(main())
