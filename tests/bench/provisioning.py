#!/usr/bin/env python3
"""Benchmark: provisioning a neighbourhood from the blueprint versus by running its migrations.

Run on demand from the repository root (pytest never collects it: it is not a test_*.py):

    .venv/bin/python tests/bench/provisioning.py            # N = 5
    .venv/bin/python tests/bench/provisioning.py --n 10 --check

`python3 manage.py` is not needed: the script puts platform/ and the repository root on
sys.path itself and, like manage.py, starts embedded PostgreSQL and Redis when DATABASE_URL /
REDIS_URL are unset (set TVE_DATA_DIR to keep its server apart from the dev one in .data/).
It works in a scratch database (tve_bench_<pid>) on that server, never in the dev or test
database, and drops it at the end, also after an error or Ctrl-C.

In one run it
  1. migrates the scratch database (which builds the provisioning blueprint);
  2. warms up each path once (not counted) and checks that a cloned schema equals a migrated
     one: same tables, columns, constraints, indexes and identity columns, sequences owned by
     the new schema, and inserts get the same ids as in a migrated schema (1 in an empty table);
  3. provisions N neighbourhoods each way, alternating, timing every call:
     - clone:   `provision_neighbourhood(spec=...)`, the real service (validation, blueprint
                replay, registry rows, seed data, first admin's invitation, one transaction);
     - migrate: the same steps, but the schema made the classic django-tenants way: registry
                rows, CREATE SCHEMA, `migrate_schemas --schema=<it> --tenant`, then seed data and
                the invitation.

The last line is `clone_median_s=… migrate_median_s=… ratio=… rss_mb=… peak_rss_mb=…` with
ratio = clone median / migrate median (the baseline is measured in the same run). rss_mb is
the resident memory of this process after the benchmark. Target on a 2-core machine: clone
median ≤ 1 s and ratio ≤ 0.1; with --check the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

CLONE_TARGET_S = 1.0
RATIO_TARGET = 0.1
RSS_LIMIT_MB = 250


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5, help="neighbourhoods per path (default 5)")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 if a target is missed"
    )
    options = parser.parse_args()
    if options.n < 1:
        parser.error("--n must be at least 1")

    from tijdvoorelkaar.devservices import ensure_services

    ensure_services()
    server_url = os.environ["DATABASE_URL"]
    scratch = f"tve_bench_{os.getpid()}"
    _admin_sql(server_url, f'CREATE DATABASE "{scratch}"')
    try:
        os.environ["DATABASE_URL"] = _with_database(server_url, scratch)
        os.environ["DJANGO_SETTINGS_MODULE"] = "tijdvoorelkaar.settings.test"
        os.environ.setdefault("LOG_LEVEL", "WARNING")  # keep Celery's per-task lines out
        return _run(options.n, options.check)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not have got that far
            pass
        _admin_sql(server_url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _run(n: int, check: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    _say(f"migrate (public schema + blueprint): {time.perf_counter() - started:.2f} s")

    clone_warm = _timed(lambda: _clone("bench-clone-warm"))
    migrate_warm = _timed(lambda: _migrate("bench-migrate-warm"))
    _say(f"warm-up (not counted): clone {clone_warm:.3f} s, migrate {migrate_warm:.3f} s")
    _verify(cloned="bench-clone-warm", migrated="bench-migrate-warm")

    clone_times: list[float] = []
    migrate_times: list[float] = []
    for index in range(1, n + 1):
        clone_times.append(_timed(lambda i=index: _clone(f"bench-clone-{i}")))
        migrate_times.append(_timed(lambda i=index: _migrate(f"bench-migrate-{i}")))
        _say(f"{index}/{n}: clone {clone_times[-1]:.3f} s, migrate {migrate_times[-1]:.3f} s")

    clone_median = statistics.median(clone_times)
    migrate_median = statistics.median(migrate_times)
    ratio = clone_median / migrate_median
    rss_mb, peak_mb = _rss_mb()
    met = clone_median <= CLONE_TARGET_S and ratio <= RATIO_TARGET and rss_mb < RSS_LIMIT_MB
    _say(
        f"n={n} clone min/max {min(clone_times):.3f}/{max(clone_times):.3f} s, "
        f"migrate min/max {min(migrate_times):.3f}/{max(migrate_times):.3f} s; targets: "
        f"clone ≤ {CLONE_TARGET_S} s, ratio ≤ {RATIO_TARGET}, rss < {RSS_LIMIT_MB} MB: "
        + ("met" if met else "MISSED")
    )
    print(
        f"clone_median_s={clone_median:.3f} migrate_median_s={migrate_median:.3f} "
        f"ratio={ratio:.3f} rss_mb={rss_mb:.0f} peak_rss_mb={peak_mb:.0f}",
        flush=True,
    )
    return 1 if check and not met else 0


def _spec(slug: str):  # type: ignore[no-untyped-def]
    from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec

    return NeighbourhoodSpec(
        name=f"Bench {slug}",
        slug=slug,
        domains=[f"{slug}.bench.test"],
        admin_email=f"admin@{slug}.bench.test",
        admin_name="Bench Admin",
        credits_enabled=True,
    )


def _clone(slug: str) -> None:
    from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood

    provision_neighbourhood(spec=_spec(slug))


def _migrate(slug: str) -> None:
    """The baseline: what provisioning costs when the schema is made by running migrations."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_tenants.utils import tenant_context

    from tijdvoorelkaar.neighbourhoods import services
    from tijdvoorelkaar.neighbourhoods.models import Domain, Neighbourhood
    from tijdvoorelkaar.neighbourhoods.naming import schema_name_for

    spec = _spec(slug)
    services.validate_spec(spec)
    schema_name = schema_name_for(spec.slug)
    # django-tenants' own order (TenantMixin.save with auto_create_schema): row, then schema.
    neighbourhood = Neighbourhood.objects.create(
        schema_name=schema_name,
        slug=spec.slug,
        **{name: getattr(spec, name) for name in services.SETTINGS_FIELDS if hasattr(spec, name)},
    )
    for index, domain in enumerate(spec.domains):
        Domain.objects.create(domain=domain, tenant=neighbourhood, is_primary=index == 0)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    call_command(
        "migrate_schemas",
        schema_name=schema_name,
        tenant=True,
        interactive=False,
        verbosity=0,
        skip_blueprint=True,
    )
    with transaction.atomic(), tenant_context(neighbourhood):
        services._seed(neighbourhood)
        services._invite_first_admin(spec)
    services.forget_hosts(spec.domains)


def _verify(*, cloned: str, migrated: str) -> None:
    """A cloned schema must be indistinguishable from a migrated one."""
    from django.db import connection

    from tijdvoorelkaar.neighbourhoods.naming import schema_name_for

    a, b = schema_name_for(cloned), schema_name_for(migrated)
    shape_a, shape_b = _shape(a), _shape(b)
    for part in shape_a:
        if shape_a[part] != shape_b[part]:
            only_a = sorted(shape_a[part] - shape_b[part])[:5]
            only_b = sorted(shape_b[part] - shape_a[part])[:5]
            raise AssertionError(f"{part} differ: only cloned {only_a}, only migrated {only_b}")
    with connection.cursor() as cursor:
        cursor.execute(  # each identity column's sequence must live in the clone itself
            """
            SELECT c.relname, a.attname,
                   pg_get_serial_sequence(quote_ident(n.nspname) || '.' || c.relname, a.attname)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND c.relkind = 'r' AND a.attidentity <> ''
            """,
            [a],
        )
        for table, column, sequence in cursor.fetchall():
            if not sequence or not sequence.startswith(f"{a}."):
                raise AssertionError(f"{a}.{table}.{column} uses sequence {sequence}")
        ids = {}
        for schema in (a, b):  # names made by schema_name_for from the fixed slugs above
            cursor.execute(
                f'INSERT INTO "{schema}".auth_group (name) VALUES (%s) RETURNING id',  # noqa: S608
                ["x"],
            )
            group_id = cursor.fetchone()[0]
            cursor.execute(
                f'INSERT INTO "{schema}".django_content_type (app_label, model) '  # noqa: S608
                "VALUES ('bench', 'probe') RETURNING id"
            )
            ids[schema] = (group_id, cursor.fetchone()[0])
    if ids[a] != ids[b] or ids[a][0] != 1:
        raise AssertionError(f"inserted ids differ: cloned {ids[a]}, migrated {ids[b]}")
    _say(
        f"verified: {len(shape_a['tables'])} tables, {len(shape_a['identity'])} identity columns,"
        f" {len(shape_a['indexes'])} indexes and {len(shape_a['constraints'])} constraints"
        f" match; identity ids after insert {ids[a]} in both"
    )


def _shape(schema: str) -> dict[str, set[tuple[str, ...]]]:
    """Tables, columns, constraints, indexes and identity columns, with the schema name removed."""
    from django.db import connection

    queries = {
        "tables": "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
        "columns": """
            SELECT table_name, column_name, data_type, is_nullable,
                   coalesce(column_default, ''), is_identity, coalesce(identity_generation, '')
            FROM information_schema.columns WHERE table_schema = %s""",
        "constraints": """
            SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s""",
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s",
        "identity": """
            SELECT c.relname, a.attname, a.attidentity
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND a.attidentity <> ''""",
    }
    shape = {}
    with connection.cursor() as cursor:
        for part, sql in queries.items():
            cursor.execute(sql, [schema])
            shape[part] = {
                tuple(str(v).replace(schema, "<schema>") for v in row) for row in cursor.fetchall()
            }
    return shape


def _timed(step: Callable[[], None]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _rss_mb() -> tuple[float, float]:
    """Current and peak resident memory of this process, in MB."""
    current = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return current, peak


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_sql(url: str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE) on the server."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _say(message: str) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    sys.exit(main())
