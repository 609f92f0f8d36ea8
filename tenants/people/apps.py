from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem


class PeopleConfig(AppConfig):
    name = "tenants.people"
    verbose_name = _("Participants")
    # What this app adds to the places every app shares (tijdvoorelkaar.contributions).
    contributions = Contributions(
        demo="tenants.people.demo.add_demo_data",
        timeline="tenants.people.timeline.entries_for",
        # Ads placed on someone's behalf are part of that participant's file.
        staff_menu=(
            MenuItem(20, _("Participants"), "/broker/participants/", also=("/broker/ads/",)),
        ),
    )
