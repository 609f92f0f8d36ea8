"""A small warm pool of spare schemas, each a replay of the current blueprint.

Provisioning renames a spare (well under a millisecond) instead of replaying the blueprint
(tens of milliseconds); a background task refills the pool. A spare's name carries the
blueprint's migration state, so a spare made before a migration is never used: it is
dropped and replaced. A refill replays the blueprint under a name no provisioning looks at
and takes the provisioning lock only to publish it (a rename, in the same transaction), so
provisioning never waits for a replay.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import connection, transaction

from .blueprint import migration_state, replay_blueprint
from .models import Blueprint

SPARE_PREFIX = "tve_spare_"
BUILDING_PREFIX = "tve_build_"  # invisible to others until published: one transaction
PROVISIONING_LOCK = 7_211_002  # serialises provisioning and the pool: clones would collide


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


def take_spare(*, state: str, schema_name: str) -> bool:
    """Rename a spare of this migration state to `schema_name`; False if none is ready.

    Call inside the provisioning transaction, under the lock: a rollback gives it back.
    """
    ready = [name for name in _spares() if name.startswith(_prefix(state))]
    if not ready:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{ready[0]}" RENAME TO "{schema_name}"')
    return True


def refill_spares() -> int:
    """Drop stale and surplus spares and top the pool up to PROVISIONING_SPARE_SCHEMAS;
    returns how many were made. Each spare is replayed outside the provisioning lock and
    published under it, so provisioning waits at most for a rename."""
    # Only `migrate` (or a provisioning) builds blueprints: an old worker left running during
    # a deploy must not rebuild the blueprint of its older code, nor drop the newer spares.
    blueprint = Blueprint.objects.filter(migration_state=migration_state()).first()
    if blueprint is None:
        return 0
    prefix = _prefix(blueprint.migration_state)
    made = 0
    while _wanted_after_pruning(prefix):
        token = secrets.token_hex(4)
        with transaction.atomic():
            replay_blueprint(blueprint, f"{BUILDING_PREFIX}{token}")
            hold_provisioning_lock()
            if not _wanted_after_pruning(prefix):  # another refill filled the pool meanwhile
                transaction.set_rollback(True)
                return made
            with connection.cursor() as cursor:
                cursor.execute(
                    f'ALTER SCHEMA "{BUILDING_PREFIX}{token}" RENAME TO "{prefix}{token}"'
                )
        made += 1
    return made


def _wanted_after_pruning(prefix: str) -> int:
    """Drop spares of other states and beyond the pool size; how many more are wanted.
    Takes the provisioning lock until the caller's transaction ends (or for itself)."""
    with transaction.atomic():
        hold_provisioning_lock()
        spares = _spares()
        current = [name for name in spares if name.startswith(prefix)]
        wanted = settings.PROVISIONING_SPARE_SCHEMAS
        unwanted = [name for name in spares if not name.startswith(prefix)] + current[wanted:]
        with connection.cursor() as cursor:
            for name in unwanted:
                cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
        return max(0, wanted - len(current))
