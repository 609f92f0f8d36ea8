"""What the people app adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    demo="tenants.people.demo.add_demo_data",
    timeline="tenants.people.timeline.TIMELINE",
    # Ads placed on someone's behalf are part of that participant's file.
    staff_menu=(MenuItem(20, _("Participants"), "/broker/participants/", also=("/broker/ads/",)),),
)
