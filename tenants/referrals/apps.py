from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem


class ReferralsConfig(AppConfig):
    name = "tenants.referrals"
    verbose_name = _("Referrals and group visits")
    # What this app adds to the places every app shares (tijdvoorelkaar.contributions).
    contributions = Contributions(
        demo="tenants.referrals.demo.add_demo_data",
        timeline="tenants.referrals.timeline.entries_for",
        staff_menu=(
            MenuItem(70, _("Referrals"), "/broker/referrals/"),
            MenuItem(80, _("Group visits"), "/broker/group-visits/"),
        ),
    )
