"""What surveys add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem, every_neighbourhood

CONTRIBUTIONS = Contributions(
    demo="tenants.surveys.demo.add_demo_data",  # after the mediations' demo made its matches
    export="tenants.surveys.personal_data.export_participant",
    erase="tenants.surveys.personal_data.erase_participant",
    beat={
        # daily, at a decent hour: two weeks after a match, and around registration day
        "surveys-send": every_neighbourhood("surveys.send_surveys", crontab(hour=10, minute=30)),
    },
    staff_menu=(MenuItem(85, _("Survey"), "/broker/surveys/"),),
)
