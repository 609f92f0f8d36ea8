"""What the neighbourhood registry adds: keeping the pool of spare schemas full and
re-queueing lost provisioning jobs (both run in the public schema, not per neighbourhood)."""

from tijdvoorelkaar.contributions import Contributions

CONTRIBUTIONS = Contributions(
    beat={
        "refill-spare-schemas": {"task": "neighbourhoods.refill_spare_schemas", "schedule": 600.0},
        "sweep-provisioning-jobs": {
            "task": "neighbourhoods.sweep_provisioning_jobs",
            "schedule": 120.0,
        },
    },
)
