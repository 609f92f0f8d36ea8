"""Keys to a user from a neighbourhood's tables.

Below accounts, and needing nothing of it: the audit log keys its events to users, and
accounts records into the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def user_reference() -> models.ForeignKey[AbstractBaseUser | None, AbstractBaseUser | None]:
    """A key to the staff member who did something, from a table that exists in
    neighbourhood schemas only. `User` is in every schema, so a cascade from a user deleted
    in the public schema would reach for tables that are not there: no constraint, no cascade,
    and no reverse accessor (docs/dangerous-constructs.md#keys-to-user). No index: who did
    something is shown, or counted over a whole table, and without a cascade nothing looks rows
    up by it; each index is a relation in every schema (docs/operations/benchmarks.md, "Schema
    footprint"). A page that filters by it declares its own in the model's `Meta.indexes` (the
    audit log's `audit_actor`, over the rows that have an actor)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
