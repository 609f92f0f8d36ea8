from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood


class AuditConfig(AppConfig):
    name = "tenants.audit"
    verbose_name = _("Audit log")
    # What this app adds to the places every app shares (tijdvoorelkaar.contributions).
    contributions = Contributions(
        beat={
            # Mondays 07:00 (CELERY_TIMEZONE): each neighbourhood's admins get last week's summary.
            "audit-weekly-summary": every_neighbourhood(
                "audit.send_weekly_summary", crontab(minute="0", hour="7", day_of_week="monday")
            ),
        },
    )
