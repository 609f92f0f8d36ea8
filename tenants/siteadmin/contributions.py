"""What the admin's pages add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood

CONTRIBUTIONS = Contributions(
    beat={
        # Mondays 07:00 (CELERY_TIMEZONE): each neighbourhood's admins get last week's summary.
        "audit-weekly-summary": every_neighbourhood(
            "audit.send_weekly_summary", crontab(minute="0", hour="7", day_of_week="monday")
        ),
    },
)
