"""What responding adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood

CONTRIBUTIONS = Contributions(
    demo="tenants.responding.demo.add_demo_data",  # after the marketplace placed its ads
    timeline="tenants.responding.timeline.TIMELINE",
    beat={
        # daily: "did it work out?" two weeks after a response; mail residents at a decent hour
        "responding-ask-outcomes": every_neighbourhood(
            "responding.ask_outcomes", crontab(hour=10, minute=0)
        ),
    },
)
