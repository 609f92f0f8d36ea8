"""What the statistics add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem, every_neighbourhood

CONTRIBUTIONS = Contributions(
    demo="tenants.statistics.demo.add_demo_data",
    beat={
        # 03:30 (CELERY_TIMEZONE): yesterday is complete; the report reads fresh figures by day.
        "statistics-nightly": every_neighbourhood(
            "statistics.compute_nightly", crontab(minute="30", hour="3")
        ),
    },
    staff_menu=(MenuItem(88, _("Report"), "/broker/report/"),),
)
