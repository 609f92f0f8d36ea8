#!/usr/bin/env python3
"""Benchmark: provisioning a neighbourhood from a warm pool, by replaying the blueprint, and by
running its migrations.

Run on demand from the repository root (pytest never collects it: it is not a test_*.py):

    .venv/bin/python tests/bench/provisioning.py            # N = 5
    .venv/bin/python tests/bench/provisioning.py --n 10 --check

`python3 manage.py` is not needed: the script puts platform/ and the repository root on
sys.path itself and, like manage.py, starts embedded PostgreSQL and Redis when DATABASE_URL /
REDIS_URL are unset (set TVE_DATA_DIR to keep its server apart from the dev one in .data/).
It works in a scratch database (tve_bench_<pid>) on that server, never in the dev or test
database, and drops it at the end, also after an error or Ctrl-C. It runs with the test
settings (Celery eager, mail in memory, PROVISIONING_SPARE_SCHEMAS = 0) and changes
PROVISIONING_SPARE_SCHEMAS itself where a step needs the pool.

Three ways to get a neighbourhood's schema are timed, each through the real service where
there is one:
  - clone (pool): `provision_neighbourhood(spec=...)` with spare schemas ready, so the service
    renames a spare into place (neighbourhoods/spares.py). The pool is filled BEFORE the timed
    calls: PROVISIONING_SPARE_SCHEMAS is raised one spare at a time and `refill_spares()` run
    for each (every such call is timed as the background cost of one spare); during the timed
    calls the setting is 0, so the refill the service would queue on commit (which Celery runs
    eagerly here) does not run inside them. In production that refill runs in the background
    worker, after the provisioning transaction has committed, so it never adds to the
    operator's wait; the setting is restored afterwards.
  - replay: the same service with the pool empty and PROVISIONING_SPARE_SCHEMAS = 0, so it
    falls back to replaying the blueprint's DDL (neighbourhoods/blueprint.py);
  - migrate: the same steps made the classic django-tenants way: registry rows, CREATE SCHEMA,
    `migrate_schemas --schema=<it> --tenant`, then seed data and the invitation.
Every path includes validation, registry rows, seed data, the first admin's invitation and the
invitation mail task run on commit.

In one run it
  1. migrates the scratch database (which builds the provisioning blueprint);
  2. warms up each path once (not counted) and checks that a schema taken from the pool and a
     replayed one each equal a migrated one: same tables, columns, constraints, indexes,
     identity columns, functions and triggers (the schema name masked), sequences owned by the
     new schema, and inserts get the same ids as in a migrated schema (1 in an empty table). It
     also checks that the blueprint holds no functions or triggers: renaming a schema does not
     rewrite schema names inside function bodies, so a spare would not be a faithful copy;
  3. fills the pool with N spares (timing `refill_spares()` per spare), then times N pool
     provisions alternating with N migrations (each pool provision must use up one spare);
  4. with the pool empty, times N replays alternating with N more migrations.

The last line is
`clone_median_s=… migrate_median_s=… ratio=… replay_median_s=… replay_ratio=… refill_median_s=…
rss_mb=… peak_rss_mb=…` (one line), where clone is the pool path, the migrate median is over
all 2N migrations, ratio = clone median / migrate median and replay_ratio = replay median /
migrate median (the baseline is measured in the same run). refill_median_s is the background
cost of making one spare. rss_mb is the resident memory of this process after the benchmark.
Target on a 2-core machine: clone median ≤ 1 s and ratio ≤ 0.1 (and rss < 250 MB); with
--check the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

    with scratch_database(redis=True):
        return _run(options.n, options.check)


def _run(n: int, check: bool) -> int:
    import django

    django.setup()
    from django.conf import settings

    started = time.perf_counter()
    migrate_in_a_child()
    _say(f"migrate (public schema + blueprint): {time.perf_counter() - started:.2f} s")
    configured = settings.PROVISIONING_SPARE_SCHEMAS
    try:
        return _measure(n, check)
    finally:
        settings.PROVISIONING_SPARE_SCHEMAS = configured


def _measure(n: int, check: bool) -> int:
    from tijdvoorelkaar.neighbourhoods import spares

    _check_blueprint_is_renamable()
    _fill_pool(1)
    pool_warm = _pooled("bench-pool-warm")
    replay_warm = _replay("bench-replay-warm")
    migrate_warm = _timed(lambda: _migrate("bench-migrate-warm"))
    _say(
        f"warm-up (not counted): clone (pool) {pool_warm:.3f} s, replay {replay_warm:.3f} s, "
        f"migrate {migrate_warm:.3f} s"
    )
    _verify(
        migrated="bench-migrate-warm",
        copies={"pool": "bench-pool-warm", "replay": "bench-replay-warm"},
    )

    refill_times = _fill_pool(n)
    refill_median = statistics.median(refill_times)
    _say(f"pool filled with {n} spares: refill per spare median {refill_median:.3f} s")
    clone_times: list[float] = []
    migrate_times: list[float] = []
    for index in range(1, n + 1):
        clone_times.append(_pooled(f"bench-pool-{index}"))
        migrate_times.append(_timed(lambda i=index: _migrate(f"bench-migrate-a{i}")))
        _say(
            f"{index}/{n}: clone (pool) {clone_times[-1]:.4f} s, migrate {migrate_times[-1]:.3f} s"
        )
    if spares._spares():
        raise AssertionError(f"spares left after {n} pool provisions: {spares._spares()}")

    replay_times: list[float] = []
    for index in range(1, n + 1):
        replay_times.append(_replay(f"bench-replay-{index}"))
        migrate_times.append(_timed(lambda i=index: _migrate(f"bench-migrate-b{i}")))
        _say(f"{index}/{n}: replay {replay_times[-1]:.3f} s, migrate {migrate_times[-1]:.3f} s")

    clone_median = statistics.median(clone_times)
    replay_median = statistics.median(replay_times)
    migrate_median = statistics.median(migrate_times)
    ratio = clone_median / migrate_median
    replay_ratio = replay_median / migrate_median
    rss_mb, peak_mb = _rss_mb()
    met = clone_median <= CLONE_TARGET_S and ratio <= RATIO_TARGET and rss_mb < RSS_LIMIT_MB
    _say(
        f"n={n} min/max: clone (pool) {min(clone_times):.4f}/{max(clone_times):.4f} s, "
        f"replay {min(replay_times):.3f}/{max(replay_times):.3f} s, "
        f"migrate {min(migrate_times):.3f}/{max(migrate_times):.3f} s "
        f"(medians with the pool full / empty: {statistics.median(migrate_times[:n]):.3f}"
        f" / {statistics.median(migrate_times[n:]):.3f} s), "
        f"refill per spare {min(refill_times):.3f}/{max(refill_times):.3f} s; targets: "
        f"clone ≤ {CLONE_TARGET_S} s, ratio ≤ {RATIO_TARGET}, rss < {RSS_LIMIT_MB} MB: "
        + ("met" if met else "MISSED")
    )
    print(
        f"clone_median_s={clone_median:.4f} migrate_median_s={migrate_median:.3f} "
        f"ratio={ratio:.3f} replay_median_s={replay_median:.3f} replay_ratio={replay_ratio:.3f} "
        f"refill_median_s={refill_median:.3f} rss_mb={rss_mb:.0f} peak_rss_mb={peak_mb:.0f}",
        flush=True,
    )
    return 1 if check and not met else 0


def _fill_pool(count: int) -> list[float]:
    """Top the (empty) pool up to `count` spares, one `refill_spares()` per spare, each timed;
    leaves PROVISIONING_SPARE_SCHEMAS at 0 so no refill runs inside a timed provision."""
    from django.conf import settings

    from tijdvoorelkaar.neighbourhoods import spares

    times = []
    try:
        for size in range(1, count + 1):
            settings.PROVISIONING_SPARE_SCHEMAS = size
            started = time.perf_counter()
            made = spares.refill_spares()
            times.append(time.perf_counter() - started)
            if made != 1:
                raise AssertionError(f"refill_spares() made {made} spares, expected 1")
    finally:
        settings.PROVISIONING_SPARE_SCHEMAS = 0
    if len(spares._spares()) != count:
        raise AssertionError(f"pool holds {spares._spares()}, expected {count} spares")
    return times


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


def _pooled(slug: str) -> float:
    """The real service with a spare ready: it must rename one instead of replaying. Returns
    the time of the service call alone (the pool checks around it are not counted)."""
    from tijdvoorelkaar.neighbourhoods import spares
    from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood

    before = spares._spares()
    if not before:
        raise AssertionError("the pool is empty before a pool provision")
    elapsed = _timed(lambda: provision_neighbourhood(spec=_spec(slug)))
    if len(spares._spares()) != len(before) - 1:
        raise AssertionError(f"{slug} did not take a spare: {before} -> {spares._spares()}")
    return elapsed


def _replay(slug: str) -> float:
    """The real service with the pool empty: it falls back to replaying the blueprint. Returns
    the time of the service call alone."""
    from django.conf import settings

    from tijdvoorelkaar.neighbourhoods import spares
    from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood

    if spares._spares() or settings.PROVISIONING_SPARE_SCHEMAS:
        raise AssertionError("the pool must be empty and off for a replay")
    return _timed(lambda: provision_neighbourhood(spec=_spec(slug)))


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


def _check_blueprint_is_renamable() -> None:
    """A spare is a replayed schema renamed later. ALTER SCHEMA … RENAME follows tables,
    sequences, defaults, constraints, indexes and views (they refer to objects by OID), but not
    schema names written inside function bodies, so the blueprint must hold no functions (and
    so no triggers calling them)."""
    from django.conf import settings
    from django.db import connection

    from tijdvoorelkaar.neighbourhoods.blueprint import current_blueprint

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'function ' || p.proname FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s
            UNION ALL
            SELECT 'trigger ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND NOT t.tgisinternal
            """,
            [settings.BLUEPRINT_SCHEMA] * 2,
        )
        found = [row[0] for row in cursor.fetchall()]
    # Nor may the name appear in the SQL other than as a schema qualifier or in CREATE SCHEMA:
    # data rows or strings holding it would keep the spare's name after the rename.
    name = re.escape(settings.BLUEPRINT_SCHEMA)
    sql = re.sub(r"^--.*$", "", current_blueprint().sql, flags=re.MULTILINE)  # pg_dump's notes
    found += [
        f"text {sql[max(0, m.start() - 30) : m.end() + 30]!r}"
        for m in re.finditer(rf"\b{name}\b", sql)
        # a qualifier, bare or quoted ("name"."table": the plain tables' rewrite, ADR 0013)
        if not re.match(rf"{name}\.|{name}\"\.|{name};$", sql[m.start() :], re.MULTILINE)
        and not sql[: m.start()].endswith("CREATE SCHEMA ")
    ]
    if found:
        raise AssertionError(
            f"the blueprint holds {found[:5]}: a renamed spare would keep the spare's name there"
        )
    qualifiers = len(re.findall(rf"\b{name}\"?\.", sql))
    _say(
        f"blueprint {settings.BLUEPRINT_SCHEMA}: no functions or triggers, name only as a"
        f" qualifier ({qualifiers}x) and in CREATE SCHEMA: safe to rename"
    )


def _verify(*, migrated: str, copies: dict[str, str]) -> None:
    """Each provisioned copy must be indistinguishable from a migrated schema."""
    from django.db import connection

    from tijdvoorelkaar.neighbourhoods.naming import schema_name_for

    reference = schema_name_for(migrated)
    reference_shape = _shape(reference)
    # The sub-area's key comes from the schema's one sequence (ADR 0010), after the seed
    # data's keys: the same ids in every copy show that their sequences stand where it does.
    reference_ids = _insert_probes(reference)
    for path, slug in copies.items():
        schema = schema_name_for(slug)
        shape = _shape(schema)
        for part in reference_shape:
            if shape[part] != reference_shape[part]:
                only_copy = sorted(shape[part] - reference_shape[part])[:5]
                only_migrated = sorted(reference_shape[part] - shape[part])[:5]
                raise AssertionError(
                    f"{path}: {part} differ: only {path} {only_copy}, only migrated {only_migrated}"
                )
        with connection.cursor() as cursor:
            cursor.execute(  # each identity column's sequence must live in the copy itself
                """
                SELECT c.relname, a.attname, pg_get_serial_sequence(
                    quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname)
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = %s AND c.relkind = 'r' AND a.attidentity <> ''
                """,
                [schema],
            )
            for table, column, sequence in cursor.fetchall():
                if not sequence or not sequence.startswith(f"{schema}."):
                    raise AssertionError(f"{path}: {schema}.{table}.{column} uses {sequence}")
        ids = _insert_probes(schema)
        if ids != reference_ids:
            raise AssertionError(f"{path}: inserted ids {ids}, migrated {reference_ids}")
        _say(
            f"verified {path}: {len(shape['tables'])} tables, {len(shape['identity'])} identity"
            f" columns, {len(shape['indexes'])} indexes, {len(shape['constraints'])} constraints,"
            f" {len(shape['functions'])} functions and {len(shape['triggers'])} triggers match"
            f" the migrated schema; identity ids after insert {ids} in both"
        )


def _insert_probes(schema: str) -> tuple[int, int]:
    """Insert one row into two tables keyed from the schema's sequence (one empty, one holding
    the migrations' rows: django_migrations, ADR 0010); returns the ids they got."""
    from django.db import connection

    with connection.cursor() as cursor:  # names made by schema_name_for from fixed slugs
        cursor.execute(
            f'INSERT INTO "{schema}".people_subarea (name, position)'  # noqa: S608
            " VALUES (%s, 0) RETURNING id",
            ["x"],
        )
        subarea_id = cursor.fetchone()[0]
        cursor.execute(
            f'INSERT INTO "{schema}".django_migrations (app, name, applied) '  # noqa: S608
            "VALUES ('bench', 'probe', now()) RETURNING id"
        )
        return subarea_id, cursor.fetchone()[0]


def _shape(schema: str) -> dict[str, set[tuple[str, ...]]]:
    """Tables, columns, constraints, indexes, identity columns, functions and triggers, with the
    schema name masked. A spare's old name left anywhere (a default, a function body) shows."""
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
        "functions": """
            SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s""",
        "triggers": """
            SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND NOT t.tgisinternal""",
    }
    shape = {}
    with connection.cursor() as cursor:
        for part, sql in queries.items():
            cursor.execute(sql, [schema])
            shape[part] = {
                tuple(str(v).replace(schema, "<schema>") for v in row) for row in cursor.fetchall()
            }
    for part in ("constraints", "indexes"):  # a CHECK, or a partial index's WHERE
        shape[part] = {(*row[:2], _without_casts(row[2])) for row in shape[part]}
    return shape


def _without_casts(definition: str) -> str:
    """A CHECK constraint or an index as text, without casts and parentheses: PostgreSQL
    prints a `varchar IN (…)` condition (a check, a partial index's WHERE) that it has read
    back from its own output differently (the casts move inside the ARRAY), so a migrated
    schema and a replayed copy would differ in text while meaning the same."""
    return re.sub(r"::(text|character varying)(\[\])?|[()]", "", definition)


def _timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _rss_mb() -> tuple[float, float]:
    """Current and peak resident memory of this process, in MB (VmRSS and VmHWM)."""
    status = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _colon, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            status[key] = int(value.split()[0]) / 1024
    return status.get("VmRSS", 0.0), status.get("VmHWM", 0.0)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def scratch_database(*, redis: bool = False) -> Iterator[None]:
    """Point DATABASE_URL at a fresh database tve_bench_<pid> on the (embedded) server, with the
    test settings, and drop it afterwards, also after an error or Ctrl-C."""
    from tijdvoorelkaar.devservices import ensure_services

    ensure_services(redis=redis)
    server_url = os.environ["DATABASE_URL"]
    scratch = f"tve_bench_{os.getpid()}"
    _admin_sql(server_url, f'CREATE DATABASE "{scratch}"')
    try:
        os.environ["DATABASE_URL"] = _with_database(server_url, scratch)
        os.environ["DJANGO_SETTINGS_MODULE"] = "tijdvoorelkaar.settings.test"
        os.environ.setdefault("LOG_LEVEL", "WARNING")  # keep Celery's per-task lines out
        yield
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not have got that far
            pass
        _admin_sql(server_url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def migrate_in_a_child() -> None:
    """`migrate` (the public schema and the blueprint) on the scratch database, in a process
    of its own: a web or worker process never migrates, and the migration states Django
    renders (≈ 200 MB) would otherwise stay in the RSS the benchmark reports."""
    code = (
        "import django; django.setup(); from django.core.management import call_command;"
        " call_command('migrate', interactive=False, verbosity=0)"
    )
    path = os.pathsep.join([str(ROOT / "platform"), str(ROOT)])
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": path})  # noqa: S603


def _admin_sql(url: str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE) on the server."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _say(message: str) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    sys.exit(main())
