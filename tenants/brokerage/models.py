"""The broker's routing: the steps each neighbourhood follows with a participant, where every
participant is now (their trajectory) and how they got there, and the support conversations
the broker had with them (the method allows a few; the neighbourhood sets how many)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.people.models import Participant
from tijdvoorelkaar.translated_names import NamedInDutchAndEnglish
from tijdvoorelkaar.user_keys import user_reference


class RoutingStep(NamedInDutchAndEnglish):
    """One step of the neighbourhood's routing, named in Dutch and optionally in English.
    Retired steps stay for the history."""

    name = models.CharField(_("name in Dutch"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("routing step")
        verbose_name_plural = _("routing steps")


class Trajectory(models.Model):
    """Where a participant is in the routing. A participant without a row is at the first
    step (counted from their registration) until the broker first moves them."""

    # Keyed by its participant (one each, never another; docs/adr/0011): the moves refer to it
    # by the participant's id, and no `id` of its own costs an index in every neighbourhood.
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="trajectory", primary_key=True
    )
    # No indexes on step or moved_at: one row per participant (hundreds); the board reads them
    # all, and moved_at only inside an expression (board_since).
    step = models.ForeignKey(
        RoutingStep, on_delete=models.PROTECT, related_name="trajectories", db_index=False
    )
    started_at = models.DateTimeField(auto_now_add=True)
    moved_at = models.DateTimeField()
    moved_by = user_reference()

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")

    def __str__(self) -> str:
        return f"trajectory of participant {self.participant_id}"


class TrajectoryMove(models.Model):
    """One move from step to step (the first has no `from_step`)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="moves")
    # Read per trajectory (its index); the steps only guard a step's removal, and `at` is
    # counted by date (`at__date`, which no index on `at` serves) in the nightly figures.
    from_step = models.ForeignKey(
        RoutingStep,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    to_step = models.ForeignKey(
        RoutingStep, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    at = models.DateTimeField()
    by = user_reference()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"move of trajectory {self.trajectory_id} to step {self.to_step_id}"


class Channel(models.TextChoices):
    PHONE = "phone", _("By phone")
    VISIT = "visit", _("Home visit")
    OFFICE = "office", _("At the office")
    OTHER = "other", _("Other")


class SupportConversation(models.Model):
    """A support conversation with a participant. The summary is kept short and may be
    sensitive: brokers only, and every read of it is audited."""

    participant = models.ForeignKey(  # no index of its own: conversation_participant leads with it
        Participant,
        on_delete=models.CASCADE,
        related_name="support_conversations",
        db_index=False,
    )
    held_on = models.DateField(_("held on"))
    by = user_reference()
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    summary = models.CharField(_("short summary"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("support conversation")
        verbose_name_plural = _("support conversations")
        indexes = [models.Index(fields=["participant", "held_on"], name="conversation_participant")]

    def __str__(self) -> str:
        return f"support conversation {self.pk} with participant {self.participant_id}"
