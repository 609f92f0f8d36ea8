"""What the organisations app adds to the shared places (read by
`tijdvoorelkaar.contributions`)."""

from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    demo="tenants.organisations.demo.add_demo_data",
    staff_menu=(MenuItem(60, _("Organisations"), "/broker/organisations/"),),
)
