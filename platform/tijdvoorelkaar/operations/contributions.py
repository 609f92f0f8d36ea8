"""What operations adds to beat: a backup of every neighbourhood each night (one task per
neighbourhood, so thousands spread over the workers); and, platform-level in `public`: pruning
old backups, measuring the outbox backlog for the metrics, re-queueing lost backup and
restore jobs."""

from celery.schedules import crontab

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood

CONTRIBUTIONS = Contributions(
    beat={
        "back-up-neighbourhoods": every_neighbourhood(
            "operations.back_up_neighbourhood", crontab(hour=2, minute=30)
        ),
        "prune-backups": {
            "task": "operations.prune_backups",
            "schedule": crontab(hour=6, minute=0),
        },
        "measure-outbox-backlog": {"task": "operations.measure_outbox_backlog", "schedule": 300.0},
        "sweep-operation-jobs": {"task": "operations.sweep_jobs", "schedule": 120.0},
    },
)
