#!/usr/bin/env python3
"""Benchmark: what operating N neighbourhoods costs (issue 13's targets 6, 8 and 9), in one run.

Run on demand from the repository root (pytest never collects it):

    .venv/bin/python tests/bench/operations.py            # N = 50
    .venv/bin/python tests/bench/operations.py --n 200

Like tests/bench/provisioning.py it works in a scratch database on the embedded PostgreSQL
(or DATABASE_URL) with the test settings, and drops it afterwards. It
  1. provisions N neighbourhoods through the real service (the pool empty: each replays the
     blueprint), each timed: the baseline for the backup and the restore;
  2. fills one with the demo's content and measures its schema, and an empty one's;
  3. backs the demo neighbourhood up (`backup_neighbourhood`: pg_dump, registry rows) and
     restores it under another name (`restore_neighbourhood`: replay, rename), each timed;
  4. measures the outbox backlog over all N (one query per schema, as the beat job does),
     against a bare `SELECT 1` round trip;
  5. serves pages of several views on every neighbourhood, then times the `/metrics` scrape
     against `/healthz` and counts the series it exports.
The last line is `n=… provision_median_s=… backup_s=… restore_s=… restore_ratio=… dump_mb=…
demo_schema_mb=… empty_schema_mb=… backlog_ms_per_schema=… backlog_ratio=… scrape_ms=…
scrape_ratio=… series=…`, where restore_ratio = restore / provisioning median, backlog_ratio
= backlog per schema / SELECT 1, scrape_ratio = /metrics / /healthz.
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

from provisioning import _say, _timed, scratch_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="neighbourhoods (default 50)")
    options = parser.parse_args()
    with scratch_database():
        return _run(options.n)


def _run(n: int) -> int:
    import tempfile

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    scratch = Path(tempfile.mkdtemp(prefix="tve-bench-ops-"))
    settings.BACKUP_DIR, settings.MEDIA_ROOT = scratch / "backups", scratch / "media"
    provisioned = _provision(n)
    demo_mb, empty_mb = _footprints()
    backup_s, restore_s, dump_mb = _backup_and_restore()
    backlog_ms, select_ms = _backlog(n)
    scrape_ms, health_ms, series = _scrape(n)
    median = statistics.median(provisioned)
    _say(
        f"provisioning median {median:.3f} s; demo neighbourhood {demo_mb:.2f} MB, empty"
        f" {empty_mb:.2f} MB; backup {backup_s:.2f} s ({dump_mb:.2f} MB), restore"
        f" {restore_s:.2f} s; backlog {backlog_ms:.2f} ms per schema (SELECT 1 {select_ms:.3f}"
        f" ms); /metrics {scrape_ms:.1f} ms ({series} series), /healthz {health_ms:.2f} ms"
    )
    _say(
        f"n={n} provision_median_s={median:.3f} backup_s={backup_s:.2f}"
        f" restore_s={restore_s:.2f} restore_ratio={restore_s / median:.1f}"
        f" dump_mb={dump_mb:.2f} demo_schema_mb={demo_mb:.2f} empty_schema_mb={empty_mb:.2f}"
        f" backlog_ms_per_schema={backlog_ms:.2f} backlog_ratio={backlog_ms / select_ms:.1f}"
        f" scrape_ms={scrape_ms:.1f} scrape_ratio={scrape_ms / health_ms:.1f} series={series}"
    )
    return 0


def _provision(n: int) -> list[float]:
    from tests.support.cast import spec_for
    from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood

    times = [
        _timed(lambda i=i: provision_neighbourhood(spec=spec_for(f"ops-{i}"))) for i in range(n)
    ]
    _say(f"provisioned {n}")
    return times


def _schema_mb(schema: str) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE nspname = %s AND relkind IN ('r', 'S', 'm')",
            [schema],
        )
        return cursor.fetchone()[0] / 2**20


def _footprints() -> tuple[float, float]:
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tests.support.cast import build_place
    from tijdvoorelkaar.quickstart.demo_data import add_demo_content

    neighbourhood = build_place("ops-demo", theme="default").neighbourhood
    with tenant_context(neighbourhood):
        add_demo_content(neighbourhood)
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return _schema_mb(neighbourhood.schema_name), _schema_mb("nb_ops_0")


def _backup_and_restore() -> tuple[float, float, float]:
    from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
    from tijdvoorelkaar.operations.backups import backup_neighbourhood, restore_neighbourhood

    demo = Neighbourhood.objects.get(slug="ops-demo")
    started = time.perf_counter()
    backup = backup_neighbourhood(neighbourhood=demo)
    backup_s = time.perf_counter() - started
    dump_mb = sum(f.stat().st_size for f in backup.folder.iterdir()) / 2**20
    restore_s = _timed(lambda: restore_neighbourhood(backup=backup, slug="ops-demo-copy"))
    return backup_s, restore_s, dump_mb


def _backlog(n: int) -> tuple[float, float]:
    from django.db import connection

    from tijdvoorelkaar.operations.figures import measure_outbox_backlog

    schemas = n + 2  # the demo neighbourhood and its copy (archived: not measured)
    runs = [_timed(measure_outbox_backlog) for _ in range(3)]

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    bare = [_timed(select_one) for _ in range(200)]
    return statistics.median(runs) * 1000 / (schemas - 1), statistics.median(bare) * 1000


def _scrape(n: int) -> tuple[float, float, int]:
    from django.conf import settings
    from django.test import Client

    settings.METRICS_TOKEN = "bench-token-0123456789"  # noqa: S105 - a throwaway scratch run
    for i in range(n):
        client = Client(HTTP_HOST=f"ops-{i}.test")
        for path in ("/", "/ads/", "/no/such/page/"):
            client.get(path)
    scraper = Client(HTTP_AUTHORIZATION=f"Bearer {settings.METRICS_TOKEN}")
    body = scraper.get("/metrics").content.decode()
    series = sum(1 for line in body.splitlines() if line and not line.startswith("#"))
    scrapes = [_timed(lambda: scraper.get("/metrics")) for _ in range(20)]
    prober = Client()
    health = [_timed(lambda: prober.get("/healthz")) for _ in range(100)]
    return statistics.median(scrapes) * 1000, statistics.median(health) * 1000, series


if __name__ == "__main__":
    sys.exit(main())
