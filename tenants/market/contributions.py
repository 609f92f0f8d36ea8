"""What the marketplace adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood

CONTRIBUTIONS = Contributions(
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
