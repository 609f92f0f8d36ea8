"""Snapshots of the report: the figures of one period as computed at one moment. The report
page, the exports and the API read a snapshot; only the job computes one."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .periods import Period, PeriodKind


class Snapshot(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Being computed")
        DONE = "done", _("Computed")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("period"), max_length=20, choices=PeriodKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    figures = models.JSONField(default=dict)
    # When the figures were computed (None: never yet); the state is that of the last request.
    computed_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-end", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "start", "end"], name="snapshot_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="snapshot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"snapshot {self.kind} {self.start}–{self.end}"

    @property
    def period(self) -> Period:
        return Period(self.kind, self.start, self.end)

    @property
    def busy(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
