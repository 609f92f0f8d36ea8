#!/usr/bin/env python3
"""Benchmark: one deployment with N neighbourhoods (issue 13's targets 1, 3 and 5), in one run.

Run on demand from the repository root (pytest never collects it: it is not a test_*.py):

    .venv/bin/python tests/bench/scale.py              # N = 500 (≈ 15 minutes on 2 cores)
    .venv/bin/python tests/bench/scale.py --n 100 --check

Like tests/bench/provisioning.py it starts the embedded PostgreSQL when DATABASE_URL is unset,
works in a scratch database (tve_bench_<pid>) that it drops at the end, and runs with the test
settings (eager Celery, in-memory cache, PROVISIONING_SPARE_SCHEMAS = 0 except where set).
In one run it
  1. migrates the empty database and provisions SMALL (50) neighbourhoods through the real
     service, then times a no-op `migrate` (every schema up to date) and a `migrate
     --every-schema` (no comparison: every schema is visited, the cost of a schema that must
     be looked at);
  2. provisions up to N, timing each provisioning with the spare pool of the production size
     (PROVISIONING_SPARE_SCHEMAS, default 5), the refill each provisioning queues run after
     commit by a thread beside the next provisionings, as the worker would; the first 100 are
     the provisioning target's "100 in a row". Then it repeats both migrate timings at N;
  3. writes a throwaway migration (an AddField on market.Ad) into tenants/market/migrations/,
     times the `migrate` that applies it to every schema and the blueprint, then reverses it
     everywhere and removes the file (also after an error, Ctrl-C or SIGTERM; not after
     SIGKILL). Do not run the test suite from the same tree meanwhile: it would see the file;
  4. serves home (`/`), the ad list (`/ads/`) and a signed-in page (the ad list for a signed-in
     resident, which no cache serves) with Django's test client on each neighbourhood's host,
     round-robin across 10 neighbourhoods and then across all N, each series starting with
     cleared caches, 2 × N requests of each page per series (at least 300);
  5. builds one neighbourhood with 500 ads (tests/bench/marketplace.py) and times its list page
     uncached (cache version bumped before each request) against a bare view;
  6. measures an empty neighbourhood's schema: its size and its pg_class rows (tables, indexes,
     sequences), and the whole catalog's size.
The last line is `n=… migrate_noop_s=… migrate_addfield_s=… per_schema_ratio_500_50=…
p95_ratio=… list_uncached_ms=… bare_ms=… schema_mb=… catalog_rows=…`, where
per_schema_ratio_500_50 = (no-op migrate at N / N) / (no-op migrate at 50 / 50), p95_ratio =
p95 over all N / p95 over 10 (all three pages together), schema_mb and catalog_rows are those
of one empty neighbourhood. The line before it gives the other figures.
Targets at N = 500: no-op migrate ≤ 30 s, per-schema ratio ≤ 1.2, AddField ≤ 90 s, provisioning
median ≤ 0.1 s and p95 ≤ 0.5 s; --check exits with 1 when one is missed.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from provisioning import _say, _timed, scratch_database  # noqa: E402

SMALL = 50
ROUND_ROBIN_FEW = 10
PROBE = ROOT / "tenants" / "market" / "migrations" / "9999_bench_probe.py"
TARGETS = {"migrate_noop_s": 30.0, "ratio": 1.2, "addfield_s": 90.0, "p50": 0.1, "p95": 0.5}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="neighbourhoods (default 500)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    options = parser.parse_args()
    if options.n <= SMALL:
        parser.error(f"--n must be above {SMALL}")
    # Stopped with SIGTERM (timeout, kill) it must still remove its migration from the tree.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    try:
        with scratch_database():
            return _run(options.n, options.check)
    finally:
        PROBE.unlink(missing_ok=True)


def _run(n: int, check: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    provision_times = _provision(range(SMALL))
    noop_small, all_small = _migrate_twice()
    _say(f"n={SMALL}: no-op migrate {noop_small:.2f} s, every schema visited {all_small:.2f} s")
    provision_times += _provision(range(SMALL, n))
    noop, visit_all = _migrate_twice()
    _say(f"n={n}: no-op migrate {noop:.2f} s, every schema visited {visit_all:.2f} s")
    addfield = _add_field_everywhere()
    _say(f"n={n}: AddField over all schemas and the blueprint {addfield:.2f} s")
    pages = _serve_pages(n)
    uncached_ms, bare_ms = _list_uncached()
    schema_mb, catalog_rows, catalog_mb = _footprint()

    ratio = (noop / n) / (noop_small / SMALL)
    visit_ratio = (visit_all / n) / (all_small / SMALL)
    p50 = statistics.median(provision_times[:100])  # the target: 100 in a row
    p95 = _p95(provision_times[:100])
    p95_ratio = _p95(pages["all"]) / _p95(pages["few"])
    met = (
        noop <= TARGETS["migrate_noop_s"]
        and ratio <= TARGETS["ratio"]
        and addfield <= TARGETS["addfield_s"]
        and p50 <= TARGETS["p50"]
        and p95 <= TARGETS["p95"]
    )
    _say(
        f"every schema visited: {visit_all:.1f} s at {n} (per-schema ratio to {SMALL}:"
        f" {visit_ratio:.2f}); provisioning, first 100 in a row: median {p50:.3f} s, p95"
        f" {p95:.3f} s; all {len(provision_times)}: median/p95 {_ms(provision_times)}, max"
        f" {max(provision_times):.3f} s; pages p50/p95 over"
        f" {ROUND_ROBIN_FEW}: {_ms(pages['few'])}, over {n}: {_ms(pages['all'])}; per page over"
        f" {n}: "
        + ", ".join(f"{k} {_ms(v)}" for k, v in pages.items() if k not in ("few", "all"))
        + f"; catalog {catalog_mb:.0f} MB; targets (at 500): "
        + ("met" if met else "MISSED")
    )
    print(  # the format, exactly, as the last line
        f"n={n} migrate_noop_s={noop:.2f} migrate_addfield_s={addfield:.2f} "
        f"per_schema_ratio_500_50={ratio:.2f} p95_ratio={p95_ratio:.2f} "
        f"list_uncached_ms={uncached_ms:.1f} bare_ms={bare_ms:.2f} schema_mb={schema_mb:.2f} "
        f"catalog_rows={catalog_rows}",
        flush=True,
    )
    return 1 if check and not met else 0


def _provision(indexes: range) -> list[float]:
    """Provision `bench-<i>` through the real service, one after another, each timed, plus a
    signed-in resident for the page rounds (not timed). The spare pool has the production
    size, and the refill each provisioning queues runs in a thread, as in the worker: after
    commit, beside the next provisionings (the test settings' eager Celery would run it
    inside the timed call)."""
    from django.conf import settings
    from django.db import connections, transaction
    from django_tenants.utils import tenant_context

    from tests.support.cast import PASSWORD, spec_for
    from tijdvoorelkaar.accounts.models import Role, User
    from tijdvoorelkaar.neighbourhoods import services, spares
    from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood
    from tijdvoorelkaar.settings import base

    settings.PROVISIONING_SPARE_SCHEMAS = base.PROVISIONING_SPARE_SCHEMAS
    spares.refill_pool()  # full, as after `migrate`
    wake, done = threading.Event(), threading.Event()

    def worker() -> None:
        while not done.is_set():
            if wake.wait(timeout=0.5):
                wake.clear()
                spares.refill_pool()  # the refill task's body
        connections.close_all()

    queue_refill = services._refill_pool_after_commit
    services._refill_pool_after_commit = lambda: transaction.on_commit(wake.set)
    refiller = threading.Thread(target=worker)
    refiller.start()
    times = []
    started = time.perf_counter()
    try:
        for index in indexes:
            spec = spec_for(f"bench-{index}")
            begun = time.perf_counter()
            neighbourhood = provision_neighbourhood(spec=spec)
            times.append(time.perf_counter() - begun)
            with tenant_context(neighbourhood):
                User.objects.create_user(
                    f"resident@bench-{index}.test",
                    PASSWORD,
                    full_name="Resident",
                    role=Role.RESIDENT,
                )
    finally:
        done.set()
        refiller.join()
        services._refill_pool_after_commit = queue_refill
        settings.PROVISIONING_SPARE_SCHEMAS = 0
    _say(
        f"provisioned {len(times)} in {time.perf_counter() - started:.1f} s (pool of"
        f" {base.PROVISIONING_SPARE_SCHEMAS}, refilled by a worker thread)"
    )
    return times


def _migrate_twice() -> tuple[float, float]:
    from django.core.management import call_command

    noop = _timed(lambda: call_command("migrate", interactive=False, verbosity=0))
    visit_all = _timed(
        lambda: call_command("migrate", interactive=False, verbosity=0, every_schema=True)
    )
    return noop, visit_all


def _add_field_everywhere() -> float:
    """Time the migrate that applies a new AddField everywhere; then undo it everywhere."""
    from django.core.management import call_command
    from django.db.migrations.loader import MigrationLoader

    [leaf] = [name for app, name in MigrationLoader(None).graph.leaf_nodes() if app == "market"]
    PROBE.write_text(
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('market', '{leaf}')]\n"
        "    operations = [migrations.AddField('ad', 'bench_probe', "
        "models.IntegerField(null=True))]\n"
    )
    _forget_migrations_on_disk()
    try:
        took = _timed(lambda: call_command("migrate", interactive=False, verbosity=0))
        _say(f"AddField over every schema and the blueprint: {took:.2f} s")
        return took
    finally:
        _undo_probe()
        PROBE.unlink()
        _forget_migrations_on_disk()
        call_command("migrate", interactive=False, verbosity=0)  # the blueprint without it


def _undo_probe() -> None:
    """Drop the probe's column and record from every schema that has it, in SQL: Django's
    backwards migrate renders a project state per migration and takes seconds per schema (the
    scratch database is dropped afterwards anyway)."""
    from django.db import connection

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.columns"
            " WHERE table_name = 'market_ad' AND column_name = 'bench_probe'"
        )
        for (schema,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{schema}".market_ad DROP COLUMN bench_probe')
            cursor.execute(
                f'DELETE FROM "{schema}".django_migrations'  # noqa: S608 - names from the catalog
                " WHERE app = 'market' AND name = %s",
                [PROBE.stem],
            )


def _forget_migrations_on_disk() -> None:
    import importlib

    from tijdvoorelkaar.neighbourhoods import blueprint

    importlib.invalidate_caches()
    sys.modules.pop(f"tenants.market.migrations.{PROBE.stem}", None)
    blueprint._disk_migrations.cache_clear()
    blueprint.migration_state.cache_clear()


def _serve_pages(n: int) -> dict[str, list[float]]:
    """Home, list and a signed-in page, round-robin over 10 neighbourhoods, then over all."""
    from django.core.cache import caches
    from django.test import Client
    from django_tenants.utils import tenant_context

    from tijdvoorelkaar.accounts.models import User
    from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

    places = []
    for neighbourhood in Neighbourhood.objects.filter(slug__startswith="bench-").order_by("pk"):
        host = neighbourhood.domains.get(is_primary=True).domain
        signed_in = Client(HTTP_HOST=host)
        with tenant_context(neighbourhood):
            signed_in.force_login(User.objects.get(email=f"resident@{neighbourhood.slug}.test"))
        places.append((Client(HTTP_HOST=host), signed_in))
    requests = max(2 * n, 300)
    result: dict[str, list[float]] = {"few": [], "all": []}
    for series, group in (("few", places[:ROUND_ROBIN_FEW]), ("all", places)):
        for alias in ("default", "platform"):
            caches[alias].clear()  # cold: every host lookup and page cache starts empty
        for index in range(requests):
            anonymous, signed_in = group[index % len(group)]
            for page, client, path in (
                ("home", anonymous, "/"),
                ("list", anonymous, "/ads/"),
                ("signed-in", signed_in, "/ads/"),
            ):
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, (path, response.status_code)
                result[series].append(elapsed)
                if series == "all":
                    result.setdefault(page, []).append(elapsed)
    return result


def _list_uncached() -> tuple[float, float]:
    """Median ms of the 500-ad list with its cache version bumped each time, and of a bare
    view, alternating (tests/bench/marketplace.py builds both)."""
    from django.db import connection
    from django.test import Client
    from marketplace import _add_baseline, _build

    from tenants.market.cache import bump_list_version

    connection.set_schema_to_public()  # the page rounds left it in the last neighbourhood
    host, _neighbourhood = _build()
    _add_baseline()
    client = Client(HTTP_HOST=host)
    client.get("/ads/")
    client.get("/bench/baseline/")
    uncached, bare = [], []
    for _ in range(100):
        bump_list_version(warm=False)
        uncached.append(_timed(lambda: client.get("/ads/")))
        bare.append(_timed(lambda: client.get("/bench/baseline/")))
    return statistics.median(uncached) * 1000, statistics.median(bare) * 1000


def _footprint() -> tuple[float, int, float]:
    """Size (MB) and pg_class rows of a new, empty neighbourhood's schema; catalog size (MB)."""
    from django.db import connection

    from tests.support.cast import spec_for
    from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood

    connection.set_schema_to_public()
    schema = provision_neighbourhood(spec=spec_for("bench-footprint")).schema_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), sum(pg_total_relation_size(c.oid)) FILTER (WHERE relkind IN"
            " ('r', 'S')), count(*) FILTER (WHERE relkind = 'r'),"
            " count(*) FILTER (WHERE relkind = 'i'), count(*) FILTER (WHERE relkind = 'S')"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = %s",
            [schema],
        )
        rows, size, tables, indexes, sequences = cursor.fetchone()
        cursor.execute(
            "SELECT sum(pg_total_relation_size(c.oid)), (SELECT count(*) FROM pg_class)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE nspname = 'pg_catalog'"
        )
        catalog, all_rows = cursor.fetchone()
    _say(
        f"{schema}: {tables} tables, {indexes} indexes, {sequences} sequences; pg_class holds"
        f" {all_rows} rows in all"
    )
    return size / 2**20, rows, catalog / 2**20


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}/{_p95(values) * 1000:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
