"""What referrals add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    demo="tenants.referrals.demo.add_demo_data",
    timeline="tenants.referrals.timeline.TIMELINE",
    staff_menu=(
        MenuItem(70, _("Referrals"), "/broker/referrals/"),
        MenuItem(80, _("Group visits"), "/broker/group-visits/"),
    ),
)
