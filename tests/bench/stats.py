#!/usr/bin/env python3
"""Benchmark: a whole-term statistics snapshot of a large neighbourhood.

Run on demand from the repository root (pytest never collects it):

    .venv/bin/python tests/bench/stats.py            # 20,000 participants, 100,000 mediations,
                                                     # 1,000,000 site visits
    .venv/bin/python tests/bench/stats.py --check    # exit 1 when a target is missed

Like the other benchmarks it starts the embedded PostgreSQL when DATABASE_URL is unset and
works in a scratch database that it drops at the end. It provisions one neighbourhood and
fills it in bulk (the services would take an hour for this much): participants registered
over four years, with profiles and consents, an ad each, responses, 100,000 mediations
between them (every status, a fifth with an organisation), trajectories and moves, support
conversations, referrals, group visits, placements, and 1,000,000 site visits over the four
years (the site-use counter's per-day and per-month rows, written with COPY). Then it
computes the whole-term figures three times (after a warm-up) and takes the median of the
database time (the time spent in the queries, measured around each execution) and the number
of queries, and times a single
`COUNT(*)` over the mediations the same way as the baseline.
The last line is
`participants=… mediations=… site_visits=… seconds=… queries=… baseline_seconds=…`.
Target: seconds ≤ 1.
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

LIMIT_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--mediations", type=int, default=100_000)
    parser.add_argument("--site-visits", type=int, default=1_000_000)
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    options = parser.parse_args()
    with scratch_database():
        return _run(options.participants, options.mediations, options.site_visits, options.check)


def _run(participants: int, mediations: int, site_visits: int, check: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django_tenants.utils import tenant_context

    from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec, provision_neighbourhood

    call_command("migrate", interactive=False, verbosity=0)
    spec = NeighbourhoodSpec(
        name="Bench Cijfers",
        slug="bench-cijfers",
        domains=["bench-cijfers.test"],
        admin_email="admin@bench-cijfers.test",
    )
    neighbourhood = provision_neighbourhood(spec=spec)
    with tenant_context(neighbourhood):
        _fill(participants, mediations)
        _fill_site_visits(site_visits)
        seconds, queries = _snapshot_seconds(neighbourhood)
        baseline = _baseline_seconds()
    met = seconds <= LIMIT_SECONDS
    _say(
        f"target: whole-term snapshot ≤ {LIMIT_SECONDS} s of database time: "
        + ("met" if met else "MISSED")
    )
    print(
        f"participants={participants} mediations={mediations} site_visits={site_visits} "
        f"seconds={seconds:.3f} "
        f"queries={queries} baseline_seconds={baseline:.3f}",
        flush=True,
    )
    return 1 if check and not met else 0


def _fill(total: int, mediation_count: int) -> None:
    import datetime

    from django.db import connection
    from django.utils import timezone

    from tenants.brokerage.models import (
        RoutingStep,
        SupportConversation,
        Trajectory,
        TrajectoryMove,
    )
    from tenants.market.models import Ad, AdStatus, Category, ReciprocityPrompt, Response
    from tenants.mediations.models import Mediation, Placement
    from tenants.organisations.models import Organisation
    from tenants.people.models import Consent, Participant, ParticipantProfile
    from tenants.referrals.models import GroupVisit, Referral

    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate()
    days = 4 * 365
    heard = ["poster", "website", "word_of_mouth", "group_visit", ""]
    people = Participant.objects.bulk_create(
        (Participant(display_name=f"Buur {n}", heard_via=heard[n % 5]) for n in range(total)),
        batch_size=5000,
    )
    with connection.cursor() as cursor:  # registrations spread over four years
        cursor.execute(
            "UPDATE people_participant SET created_at = now() - (id %% %s) * interval '1 day'",
            [days],
        )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisatie {n}") for n in range(50)
    )
    Consent.objects.bulk_create(
        Consent(participant=person, topic="self_reported", given_at=now) for person in people[::3]
    )
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(
            participant=person,
            gender=["woman", "man", "unknown"][index % 3],
            born_abroad=["yes", "no"][index % 2],
            paid_work=["no", "yes", ""][index % 3],
            household=["alone", "with_partner"][index % 2],
            age_band=["under_25", "25_44", "45_64", "65_74", "75_plus", ""][index % 6],
        )
        for index, person in enumerate(people[::3])
    )
    category = Category.objects.first()
    ads = Ad.objects.bulk_create(
        (
            Ad(
                kind=["offer", "request", "offer", "request"][index % 4],
                title=f"Hulp {index}",
                body="Boodschappen en een praatje.",
                category=category,
                participant=person,
                status=AdStatus.PUBLISHED if index % 3 else AdStatus.EXPIRED,
                published_at=now - datetime.timedelta(days=index % days),
                expires_at=now
                - datetime.timedelta(days=index % days)
                + datetime.timedelta(weeks=8),
            )
            for index, person in enumerate(people)
        ),
        batch_size=5000,
    )
    Response.objects.bulk_create(
        (
            Response(ad=ads[index], responder=people[(index + 7) % total], message="Ik help graag.")
            for index in range(0, total, 2)
        ),
        batch_size=5000,
    )
    ReciprocityPrompt.objects.bulk_create(
        (ReciprocityPrompt(source_ad=ad) for ad in ads[::4]), batch_size=5000
    )
    statuses = ["match", "no_match", "cancelled", "open", "match"]
    rows = []
    for index in range(mediation_count):
        status = statuses[index % 5]
        start = today - datetime.timedelta(days=index % days)
        with_organisation = index % 5 == 0
        rows.append(
            Mediation(
                requester=people[index % total],
                provider=None if with_organisation else people[(index * 7 + 1) % total],
                organisation=organisations[index % 50] if with_organisation else None,
                active=bool(index % 3),
                status=status,
                started_on=start,
                ended_on=None
                if status == "open"
                else min(start + datetime.timedelta(days=index % 40), today),
            )
        )
    Mediation.objects.bulk_create(rows, batch_size=10_000)
    steps = list(RoutingStep.objects.filter(is_active=True))
    trajectories = Trajectory.objects.bulk_create(
        (
            Trajectory(participant=person, step=steps[index % len(steps)], moved_at=now)
            for index, person in enumerate(people[::2])
        ),
        batch_size=5000,
    )
    TrajectoryMove.objects.bulk_create(
        (
            TrajectoryMove(
                trajectory=trajectory,
                to_step=steps[index % len(steps)],
                at=now - datetime.timedelta(days=index % days),
            )
            for index, trajectory in enumerate(trajectories)
        ),
        batch_size=5000,
    )
    SupportConversation.objects.bulk_create(
        (
            SupportConversation(
                participant=person,
                channel="phone",
                summary="Gesproken.",
                held_on=today - datetime.timedelta(days=index % days),
            )
            for index, person in enumerate(people[::4])
        ),
        batch_size=5000,
    )
    Referral.objects.bulk_create(
        Referral(
            direction="in",
            participant=person,
            referred_on=today - datetime.timedelta(days=index % days),
            institution="Huisartsenpraktijk",
            referrer_role=["huisarts", "wijkverpleging"][index % 2],
            reason="Weinig contacten.",
        )
        for index, person in enumerate(people[::20])
    )
    visits = GroupVisit.objects.bulk_create(
        GroupVisit(
            visited_on=today - datetime.timedelta(days=index * 7),
            reached=15,
            group_name=f"Groep {index}",
        )
        for index in range(200)
    )
    GroupVisit.joined.through.objects.bulk_create(
        GroupVisit.joined.through(groupvisit_id=visits[index % 200].pk, participant_id=person.pk)
        for index, person in enumerate(people[::40])
    )
    Placement.objects.bulk_create(
        Placement(
            participant=person,
            organisation=organisations[index % 50],
            started_on=today - datetime.timedelta(days=index % days),
        )
        for index, person in enumerate(people[::50])
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _say(
        f"filled {total} participants and {mediation_count} mediations "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _fill_site_visits(total: int, days: int = 4 * 365) -> None:
    """What the site-use counter would have written for `total` visits over `days` days: more
    on weekdays and in later years; a core of regular visitors (a third of the visits) and a
    long tail of occasional ones; a visitor's key changes daily (and yearly for the monthly
    rows), as the rotating salts make it. Exactly `total` visits."""
    import datetime
    import hashlib
    import random
    from collections import Counter

    from django.db import connection
    from django.utils import timezone

    started = time.perf_counter()
    rng = random.Random(12)
    today = timezone.localdate()
    calendar = [today - datetime.timedelta(days=days - 1 - offset) for offset in range(days)]
    weights = [
        (0.5 + offset / days) * (0.7 if day.weekday() >= 5 else 1.1)
        for offset, day in enumerate(calendar)
    ]
    scale = total / sum(weights)
    daily: list[tuple[datetime.date, str, int]] = []
    monthly: Counter[tuple[datetime.date, int]] = Counter()
    written = 0
    for offset, day in enumerate(calendar):
        target = (
            total - written
            if offset == days - 1
            else round(sum(weights[: offset + 1]) * scale) - written
        )
        visitors: Counter[int] = Counter()
        counted = 0
        while counted < target:
            regular = rng.random() < 0.33
            visitor = rng.randrange(1500) if regular else 1500 + rng.randrange(80_000)
            visits = min(1 + int(rng.expovariate(1.5)), target - counted)
            visitors[visitor] += visits
            counted += visits
        for visitor, visits in visitors.items():
            key = hashlib.md5(f"{day}:{visitor}".encode(), usedforsecurity=False).hexdigest()
            daily.append((day, key, visits))
            monthly[(day.replace(day=1), visitor)] += visits
        written += target
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY siteuse_visitor (kind, period, visitor, visits) FROM STDIN"
        ) as copy:
            for day, key, visits in daily:
                copy.write_row(("day", day, key, visits))
            for (month, visitor), visits in monthly.items():
                key = hashlib.md5(f"{month.year}:{visitor}".encode(), usedforsecurity=False)
                copy.write_row(("month", month, key.hexdigest(), visits))
        cursor.execute("ANALYZE siteuse_visitor")
    _say(
        f"filled {written} site visits ({len(daily)} visitor-days, {len(monthly)} visitor-months) "
        f"in {time.perf_counter() - started:.1f} s"
    )


class _Timer:
    """Sums the time spent executing queries (the database's share of the work)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0
        self.each: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            self.seconds += took
            self.queries += 1
            self.each.append((took, sql[:90]))


def _snapshot_seconds(neighbourhood) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.utils import timezone

    from tenants.statistics.computing import compute_figures
    from tenants.statistics.periods import whole_term
    from tenants.statistics.services import first_day

    today = timezone.localdate()
    period = whole_term(first_day(neighbourhood), today)
    runs = []
    for _run_index in range(4):
        timer = _Timer()
        with connection.execute_wrapper(timer):
            compute_figures(period, today=today, credits_enabled=True)
        runs.append(timer)
    measured = runs[1:]  # the first warms the caches
    _say("snapshot db seconds: " + ", ".join(f"{run.seconds:.3f}" for run in measured))
    for took, sql in sorted(measured[-1].each, reverse=True)[:6]:
        _say(f"  {took:.3f} s  {sql}")
    return statistics.median(run.seconds for run in measured), measured[-1].queries


def _baseline_seconds() -> float:
    from django.db import connection

    from tenants.mediations.models import Mediation

    runs = []
    for _run_index in range(4):
        timer = _Timer()
        with connection.execute_wrapper(timer):
            Mediation.objects.count()
        runs.append(timer.seconds)
    return statistics.median(runs[1:])


if __name__ == "__main__":
    sys.exit(main())
