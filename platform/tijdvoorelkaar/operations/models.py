"""An operator's backup or restore, run in the background; its page shows progress.

The row is also the platform's record of who asked for it (operators live in the public
schema, which has no audit log; the neighbourhood's own log names the job)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.neighbourhoods.models import BackgroundJob


class OperationJob(BackgroundJob):
    class Kind(models.TextChoices):
        BACKUP = "backup", _("Backup")
        RESTORE = "restore", _("Restore")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What it made: the backup's key, or the restored neighbourhood's slug.
    result = models.CharField(max_length=80, blank=True)
    # When a worker took it up: a second delivery of the task (the sweeper's, or Redis's after
    # a worker died) tells from it whether another worker may still be at work.
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.kind} {self.request.get('slug', '')} ({self.status})"
