"""Who did or saw what in this neighbourhood: the acting staff member (their address, so the
entry outlives their account) and references to what they touched, never its contents."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from tijdvoorelkaar.user_keys import user_reference

from .descriptions import describe_action


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # User exists in every schema, this table only in neighbourhoods: no cascade may follow
    # this key from the public schema (docs/dangerous-constructs.md). The label survives.
    actor = user_reference()  # the audit page filters by who did it: audit_actor below
    actor_label = models.CharField(max_length=254, blank=True)  # survives the actor's erasure
    action = models.CharField(max_length=60)  # indexed below, for = and prefixes alike
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # One index for the page's filters: an action (=, IN) and a prefix (LIKE 'x%'), which
            # varchar_pattern_ops serves both; Django's default for db_index was two indexes.
            models.Index(fields=["action"], name="audit_action", opclasses=["varchar_pattern_ops"]),
            # Only rows with an actor: the page asks for one actor's events (`actor_id = …`,
            # which implies the condition); rows without one (the system's, the first admin's
            # invitation at provisioning) are never looked up by it.
            models.Index(fields=["actor"], name="audit_actor", condition=Q(actor__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def description(self) -> str:
        """What happened, in the reader's language (the code stays in `action`)."""
        return describe_action(self.action)
