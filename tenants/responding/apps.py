from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood


class RespondingConfig(AppConfig):
    name = "tenants.responding"
    verbose_name = _("Responding")
    # What this app adds to the places every app shares (tijdvoorelkaar.contributions).
    contributions = Contributions(
        demo="tenants.responding.demo.add_demo_data",  # after the marketplace placed its ads
        timeline="tenants.responding.timeline.entries_for",
        beat={
            # daily: "did it work out?" two weeks after a response; mail residents at a decent hour
            "responding-ask-outcomes": every_neighbourhood(
                "responding.ask_outcomes", crontab(hour=10, minute=0)
            ),
        },
    )
