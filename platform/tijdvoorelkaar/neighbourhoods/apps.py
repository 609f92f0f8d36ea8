from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions


class NeighbourhoodsConfig(AppConfig):
    name = "tijdvoorelkaar.neighbourhoods"
    verbose_name = _("Neighbourhoods")
    # What this app adds to the places every app shares (tijdvoorelkaar.contributions).
    contributions = Contributions(
        beat={
            "refill-spare-schemas": {
                "task": "neighbourhoods.refill_spare_schemas",
                "schedule": 600.0,
            },
            "sweep-provisioning-jobs": {
                "task": "neighbourhoods.sweep_provisioning_jobs",
                "schedule": 120.0,
            },
        },
    )
