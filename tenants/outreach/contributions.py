"""What outreach adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem, every_neighbourhood

CONTRIBUTIONS = Contributions(
    demo="tenants.outreach.demo.add_demo_data",
    export="tenants.outreach.personal_data.export_for",
    erase="tenants.outreach.personal_data.erase",
    undeliverable="tenants.outreach.digest.stop_digests_to",
    staff_menu=(MenuItem(87, _("Poster and postcard"), "/broker/printables/"),),
    beat={
        # 07:30 in TIME_ZONE: Monday for the weekly digest, the 1st for the monthly one
        "outreach-weekly-digest": every_neighbourhood(
            "outreach.send_weekly_digests", crontab(hour=7, minute=30, day_of_week=1)
        ),
        "outreach-monthly-digest": every_neighbourhood(
            "outreach.send_monthly_digests", crontab(hour=7, minute=30, day_of_month=1)
        ),
    },
)
