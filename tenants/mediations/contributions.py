"""What mediations add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem, every_neighbourhood

CONTRIBUTIONS = Contributions(
    demo="tenants.mediations.demo.add_demo_data",
    timeline="tenants.mediations.timeline.TIMELINE",
    export="tenants.mediations.personal_data.export_personal_data",
    organisation_page="tenants.mediations.selectors.organisation_placements",
    staff_menu=(MenuItem(40, _("Mediations"), "/broker/mediations/"),),
    beat={
        # 07:00 in TIME_ZONE (Amsterdam): the brokers' morning digest
        "broker-morning-digest": every_neighbourhood(
            "mediations.send_morning_digest", crontab(hour=7, minute=0)
        ),
    },
)
