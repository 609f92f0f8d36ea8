"""What siteuse adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood

CONTRIBUTIONS = Contributions(
    demo="tenants.siteuse.demo.add_demo_data",
    beat={
        # just after midnight: yesterday's salt goes, so yesterday's visitors cannot be known
        "siteuse-forget-old-salts": every_neighbourhood(
            "siteuse.forget_old_salts", crontab(hour=0, minute=5)
        ),
    },
)
