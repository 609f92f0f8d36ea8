#!/usr/bin/env python3
"""Benchmark: pages without any page cache, against a bare view on the same stack (issue 13's
target 2), in one run.

    .venv/bin/python tests/bench/pages.py                 # 200 rounds
    .venv/bin/python tests/bench/pages.py --check
    .venv/bin/python tests/bench/pages.py --profile /broker/   # and a cProfile of one page
    .venv/bin/python tests/bench/pages.py --profile participant --profile-to /tmp/mine.prof
    .venv/bin/python tests/bench/pages.py --only bare --profile bare_broker   # the request alone

Like tests/bench/provisioning.py it starts the embedded PostgreSQL when DATABASE_URL is unset
and works in a scratch database (tve_bench_<pid>) with the test settings. It provisions
NEIGHBOURHOODS neighbourhoods through the real service, loads the demo's content into each
(every app's `demo` contribution) and serves, with Django's test client on each one's host
(the whole middleware: host lookup, schema switch, sessions, two steps):
  - the ad list for an anonymous visitor with the list's cache version bumped before each
    request (as after every change to an ad), so it is always rendered;
  - a resident's own ads (`/ads/mine/`, a participant signed in by link; never cached);
  - the broker's dashboard (`/broker/`) and a participant's page (`/broker/participants/<id>/`)
    for a broker who did the second step;
  - a bare view (one `SELECT 1`, a two-byte response) for the anonymous visitor and for the
    broker, registered for this run only.
Requests go round-robin over the neighbourhoods, page by page, so every request changes the
schema, the host and the theme, as on a server with many neighbourhoods. Each page is measured
as the median over the rounds after a warm-up round. The last line is
`<page>_ms=… … bare_ms=… worst_ratio=… signed_in_ratio=…` with each page's median and its ratio
to the bare view of the same client kind, and the broker's bare view over the anonymous one
(what signing in costs before any view runs); targets: every page ≤ 5 ms and ≤ 4 × the bare
view. `--only bare` measures the two bare views alone.
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

NEIGHBOURHOODS = 3
TARGET_MS = 5.0
TARGET_RATIO = 4.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="requests per page (200)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--profile", metavar="PATH", help="print a cProfile of this page (a path or a page's name)"
    )
    parser.add_argument(
        "--profile-to", default="/tmp/pages.prof", metavar="FILE", help="where the profile goes"
    )
    parser.add_argument(
        "--only",
        metavar="NAMES",
        help="comma-separated pages to measure (the bare views always are): bare, dashboard, …",
    )
    options = parser.parse_args()
    only = set(options.only.split(",")) if options.only else None
    with scratch_database():
        return _run(options.rounds, options.check, options.profile, options.profile_to, only)


def _run(
    rounds: int, check: bool, profile: str | None, profile_to: str, only: set[str] | None = None
) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from marketplace import _add_baseline

    places = [_build(f"bench-pages-{index}") for index in range(NEIGHBOURHOODS)]
    _add_baseline()
    pages = {  # name: (client kind, path for a place)
        "list_uncached": ("anonymous", lambda place: "/ads/"),
        "my_ads": ("resident", lambda place: "/ads/mine/"),
        "dashboard": ("broker", lambda place: "/broker/"),
        "participant": ("broker", lambda place: f"/broker/participants/{place['someone']}/"),
        "bare": ("anonymous", lambda place: "/bench/baseline/"),
        "bare_broker": ("broker", lambda place: "/bench/baseline/"),
    }
    if only is not None:
        pages = {
            name: page for name, page in pages.items() if name in only or name.startswith("bare")
        }
    from tenants.market.cache import bump_list_version

    times: dict[str, list[float]] = {name: [] for name in pages}
    cpu: dict[str, list[float]] = {name: [] for name in pages}  # the process's own time
    for round_ in range(rounds + 1):  # the first round warms up (templates, host lookups)
        for name, (kind, path_for) in pages.items():
            for place in places:
                if name == "list_uncached":
                    _bump_in(place, bump_list_version)
                client, path = place[kind], path_for(place)
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                elapsed = time.perf_counter() - started
                elapsed_cpu = time.process_time() - started_cpu
                assert response.status_code == 200, (path, response.status_code)
                if round_:
                    times[name].append(elapsed)
                    cpu[name].append(elapsed_cpu)
    if profile:
        _profile(places, pages, profile, profile_to)
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    ratios = {
        name: medians[name] / medians["bare_broker" if kind == "broker" else "bare"]
        for name, (kind, _path) in pages.items()
        if not name.startswith("bare")
    }
    met = all(
        medians[name] <= TARGET_MS and ratio <= TARGET_RATIO for name, ratio in ratios.items()
    )
    _say(
        f"{NEIGHBOURHOODS} neighbourhoods with the demo's content, {rounds} rounds; p95: "
        + ", ".join(f"{name} {_p95(values) * 1000:.1f} ms" for name, values in times.items())
        + "; the process's CPU time, median: "
        + ", ".join(
            f"{name} {statistics.median(values) * 1000:.2f} ms" for name, values in cpu.items()
        )
        + f"; targets (≤ {TARGET_MS} ms and ≤ {TARGET_RATIO} × bare): "
        + ("met" if met else "MISSED")
    )
    print(  # the figures last: medians and ratios to the bare view of the same client kind
        " ".join(f"{name}_ms={medians[name]:.2f}" for name in pages)
        + " "
        + " ".join(f"{name}_ratio={ratio:.1f}" for name, ratio in ratios.items())
        + f" worst_ratio={max(ratios.values(), default=0):.1f}"
        # what signing in costs before any view runs
        + f" signed_in_ratio={medians['bare_broker'] / medians['bare']:.1f}",
        flush=True,
    )
    return 1 if check and not met else 0


def _build(slug: str) -> dict[str, object]:
    """A neighbourhood with the demo's content, and clients bound to its host: anonymous, a
    resident signed in by link (a participant with ads), a broker past the second step."""
    from django.test import Client
    from django_tenants.utils import tenant_context

    from tenants.market.models import Ad
    from tenants.people.models import Participant
    from tenants.people.sessions import SESSION_KEY
    from tests.support.cast import activate, force_login_verified, spec_for
    from tijdvoorelkaar.accounts.models import Role, User
    from tijdvoorelkaar.accounts.services import invite_user
    from tijdvoorelkaar.contributions import hooks
    from tijdvoorelkaar.neighbourhoods.services import provision_neighbourhood

    spec = spec_for(slug, broker_phone="030 000 00 00")
    neighbourhood = provision_neighbourhood(spec=spec)
    host = spec.domains[0]
    place: dict[str, object] = {"anonymous": Client(HTTP_HOST=host)}
    with tenant_context(neighbourhood):
        admin = activate(User.objects.get(email=spec.admin_email))
        broker = activate(
            invite_user(
                email=f"broker@{slug}.test", full_name="Broker", role=Role.BROKER, invited_by=admin
            )
        )
        for add_demo_data in hooks("demo"):  # after the staff, as on the demo's sites
            add_demo_data(neighbourhood)
        place["broker"] = Client(HTTP_HOST=host)
        force_login_verified(place["broker"], broker)  # type: ignore[arg-type]
        owner = Participant.objects.get(pk=Ad.objects.order_by("pk").values("participant")[:1])
        resident = Client(HTTP_HOST=host)
        resident.get("/")  # a session to put the participant in
        session = resident.session
        session[SESSION_KEY] = owner.pk
        session.save()
        place["resident"] = resident
        place["someone"] = owner.pk
        place["neighbourhood"] = neighbourhood
    return place


def _bump_in(place: dict[str, object], bump) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    connection.set_tenant(place["neighbourhood"])  # the cache keys carry the schema
    bump(warm=False)  # a change, without the warming that would make the next request a hit


def _profile(places, pages, page: str, to: str) -> None:  # type: ignore[no-untyped-def]
    """A cProfile of `page` (a path, or a page's name in `pages` such as `participant`)."""
    import cProfile
    import pstats

    kind, path_for = pages.get(page, (None, None))
    if kind is None:
        kind = next((k for k, p in pages.values() if p(places[0]) == page), "anonymous")
        path_for = lambda place: page  # noqa: E731
    profiler = cProfile.Profile()
    for _ in range(50):
        for place in places:
            path = path_for(place)
            if path == "/ads/":
                from tenants.market.cache import bump_list_version

                _bump_in(place, bump_list_version)
            profiler.enable()
            place[kind].get(path)
            profiler.disable()
    profiler.dump_stats(to)  # for a closer look (pstats, snakeviz)
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(30)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


if __name__ == "__main__":
    sys.exit(main())
