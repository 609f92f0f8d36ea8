from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood


class MarketConfig(AppConfig):
    name = "tenants.market"
    verbose_name = _("Marketplace")
    # What this app adds to the places every app shares (tijdvoorelkaar.contributions).
    contributions = Contributions(
        seed="tenants.market.provisioning.seed_neighbourhood",
        demo="tenants.market.demo.add_demo_data",
        timeline="tenants.market.timeline.entries_for",
        beat={
            # daily: "did it work out?" two weeks after a response; mail residents at a decent hour
            "market-ask-outcomes": every_neighbourhood(
                "market.ask_outcomes", crontab(hour=10, minute=0)
            ),
            "market-expire-ads": every_neighbourhood("market.expire_ads", 3600.0),
            "market-renewal-reminders": every_neighbourhood(
                "market.send_renewal_reminders", crontab(hour=10, minute=15)
            ),
        },
    )

    def ready(self) -> None:
        from . import outcome_tasks  # noqa: F401 - registers market.ask_outcomes with Celery
        from .redaction import install

        install()  # link tokens in paths never reach a log line
