"""A small warm pool of spare schemas, each a replay of the current blueprint.

Provisioning renames a spare (well under a millisecond) instead of replaying the blueprint
(tenths of a second); a background task refills the pool. A spare's name carries the
blueprint's migration state, so a spare made before a migration is never used: it is
dropped and replaced. A refill replays the blueprint under a name no provisioning looks at
and takes the provisioning lock only to publish it (a rename, in the same transaction), so
provisioning never waits for a replay. The worker's refill (`refill_pool`) builds on BUILDERS
connections at once, each holding a builder slot, so that it keeps pace with provisionings in
a row however many refills are queued. A bulk provisioning builds the spares it needs first,
on BUILDERS connections at once (`spares_for`), and keeps them from being dropped as surplus
until it ends (docs/operations/benchmarks.md, "100 in a row").
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections, transaction

from .blueprint import migration_state, replay_blueprint
from .models import Blueprint

SPARE_PREFIX = "tve_spare_"
BUILDING_PREFIX = "tve_build_"  # invisible to others until published: one transaction
PROVISIONING_LOCK = 7_211_002  # serialises provisioning and the pool: clones would collide
BULK_LOCK = 7_211_004  # held (shared) by a bulk provisioning: its spares are no surplus
BUILDER_LOCK = 7_211_010  # + slot (0 … BUILDERS - 1): held by the refill building in that slot
# A replay is one server process's work: two at once use both cores of a small database
# server (measured: docs/operations/benchmarks.md); more only help where it has more.
BUILDERS = 2


def hold_provisioning_lock() -> None:
    """Take the provisioning lock until the current transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PROVISIONING_LOCK])


def _prefix(state: str) -> str:
    return f"{SPARE_PREFIX}{state[:12]}_"


def _spares() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY nspname",
            [SPARE_PREFIX],
        )
        return [row[0] for row in cursor.fetchall()]


def _ready(state: str) -> list[str]:
    return [name for name in _spares() if name.startswith(_prefix(state))]


def spares_ready() -> tuple[int, int]:
    """How many spares of this code's blueprint are ready, and how many the pool keeps: the
    console says it beside "New neighbourhood" (ready at once, or a replay first)."""
    return len(_ready(migration_state())), settings.PROVISIONING_SPARE_SCHEMAS


def _bulk_running() -> bool:
    """Whether a session of this database (this one included) holds BULK_LOCK; a bigint key
    shows in pg_locks as classid = its high 32 bits, objid = its low 32 bits, objsubid = 1."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid = %s AND objid = %s AND objsubid = 1)",
            [BULK_LOCK >> 32, BULK_LOCK & 0xFFFFFFFF],
        )
        return bool(cursor.fetchone()[0])


def replay_if_none_ready(blueprint: Blueprint) -> str | None:
    """When no spare of the blueprint's state is ready, replay one for the caller's transaction
    under a name nobody else looks at, and return that name (None when a spare is ready).

    Call before taking the provisioning lock: refills can publish while it replays.
    """
    if _ready(blueprint.migration_state):
        return None
    name = f"{BUILDING_PREFIX}{secrets.token_hex(4)}"
    replay_blueprint(blueprint, name)
    return name


def take_spare(*, state: str, schema_name: str, replayed: str | None = None) -> bool:
    """Rename `replayed` (the caller's own replay), else a spare of this migration state, to
    `schema_name`; False if there is neither.

    Call inside the provisioning transaction, under the lock: a rollback gives it back.
    """
    source = replayed or next(iter(_ready(state)), None)
    if source is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{source}" RENAME TO "{schema_name}"')
    return True


def refill_pool() -> int:
    """The worker's refill (after each provisioning, from beat, after `migrate`): top the pool
    up to PROVISIONING_SPARE_SCHEMAS on BUILDERS connections at once; how many were made.

    Each builder holds a slot (an advisory lock) while it builds, so however many refills are
    queued, no more than BUILDERS replays run; a refill that finds a slot taken leaves that
    share of the work to its holder, who looks at the pool again after letting the slot go.
    """
    return _side_by_side(_build_in_slot)


def _build_in_slot(slot: int) -> int:
    made = 0
    while _builder_slot(slot, "pg_try_advisory_lock"):
        try:
            made += refill_spares(building_beside=slot)
        finally:
            _builder_slot(slot, "pg_advisory_unlock")
        # Looked at after letting go: a provisioning that committed while this slot was held
        # found it taken, and its refill left the work to this one.
        if _shortfall() <= slot:
            break
    return made


def _builder_slot(slot: int, function: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [BUILDER_LOCK + slot])
        return bool(cursor.fetchone()[0])


def _shortfall() -> int:
    """How many spares the pool lacks (0 without a blueprint of this code: nothing to build)."""
    state = migration_state()
    if not Blueprint.objects.filter(migration_state=state).exists():
        return 0
    return max(0, settings.PROVISIONING_SPARE_SCHEMAS - len(_ready(state)))


def refill_spares(*, size: int | None = None, building_beside: int = 0) -> int:
    """Drop stale and surplus spares and top the pool up to `size` (PROVISIONING_SPARE_SCHEMAS
    unless given); returns how many were made. Each spare is replayed outside the provisioning
    lock and published under it, so provisioning waits at most for a rename. With
    `building_beside` other builders at work, it builds only while the pool lacks more than
    they are making (a replay that would come too late is not started)."""
    # Only `migrate` (or a provisioning) builds blueprints: an old worker left running during
    # a deploy must not rebuild the blueprint of its older code, nor drop the newer spares.
    blueprint = Blueprint.objects.filter(migration_state=migration_state()).first()
    if blueprint is None:
        return 0
    prefix = _prefix(blueprint.migration_state)
    wanted = settings.PROVISIONING_SPARE_SCHEMAS if size is None else size
    made = 0
    while _wanted_after_pruning(prefix, wanted) > building_beside:
        token = secrets.token_hex(4)
        with transaction.atomic():
            replay_blueprint(blueprint, f"{BUILDING_PREFIX}{token}")
            hold_provisioning_lock()
            if not _wanted_after_pruning(prefix, wanted):  # another refill filled the pool
                transaction.set_rollback(True)
                return made
            with connection.cursor() as cursor:
                cursor.execute(
                    f'ALTER SCHEMA "{BUILDING_PREFIX}{token}" RENAME TO "{prefix}{token}"'
                )
        made += 1
    return made


@contextmanager
def spares_for(count: int) -> Iterator[int]:
    """Build the spares a bulk provisioning of `count` neighbourhoods needs before it starts,
    BUILDERS at a time, and keep them from being dropped as surplus by any refill until it
    ends. Yields how many were built (the pool may hold some already)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock_shared(%s)", [BULK_LOCK])
    try:
        size = max(count, settings.PROVISIONING_SPARE_SCHEMAS)
        yield _side_by_side(lambda slot: refill_spares(size=size, building_beside=slot))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_shared(%s)", [BULK_LOCK])


def _side_by_side(build: Callable[[int], int]) -> int:
    """`build(slot)` for each of BUILDERS slots at once, slot 0 on this connection, the others
    on a thread and connection each; how many spares they made. Each publishes under the
    provisioning lock only while the pool is short, so together they make no more than asked
    (a replay that comes too late is rolled back)."""
    made: list[int] = []

    def build_on_own_connection(slot: int) -> None:
        try:
            made.append(build(slot))
        finally:
            connections.close_all()  # this thread's own connection

    # Inside a transaction (a test's) the others could neither see its work nor get its lock.
    builders = 1 if connection.in_atomic_block else BUILDERS
    helpers = [
        threading.Thread(target=build_on_own_connection, args=(slot,))
        for slot in range(1, builders)
    ]
    for helper in helpers:
        helper.start()
    made.append(build(0))
    for helper in helpers:
        helper.join()
    return sum(made)


def _wanted_after_pruning(prefix: str, wanted: int) -> int:
    """Drop spares of other states and beyond `wanted` (none of this state while a bulk
    provisioning runs); how many more are wanted. Takes the provisioning lock until the
    caller's transaction ends (or for itself)."""
    with transaction.atomic():
        hold_provisioning_lock()
        spares = _spares()
        current = [name for name in spares if name.startswith(prefix)]
        keep = max(wanted, len(current)) if _bulk_running() else wanted
        unwanted = [name for name in spares if not name.startswith(prefix)] + current[keep:]
        with connection.cursor() as cursor:
            for name in unwanted:
                cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
        return max(0, wanted - len(current))
