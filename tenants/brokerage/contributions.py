"""What the broker's workspace adds to the shared places (read by
`tijdvoorelkaar.contributions`)."""

from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    seed="tenants.brokerage.provisioning.seed_neighbourhood",
    demo="tenants.brokerage.demo.add_demo_data",
    timeline="tenants.brokerage.timeline.TIMELINE",
    statistics="tenants.brokerage.statistics.support_figures",
    staff_menu=(
        MenuItem(10, _("Today"), "/broker/", exact=True),
        MenuItem(30, _("Routing board"), "/broker/board/"),
        MenuItem(50, _("Moderation"), "/broker/moderation/"),
    ),
)
