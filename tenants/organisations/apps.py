from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem


class OrganisationsConfig(AppConfig):
    name = "tenants.organisations"
    verbose_name = _("Organisations")
    # What this app adds to the places every app shares (tijdvoorelkaar.contributions).
    contributions = Contributions(
        demo="tenants.organisations.demo.add_demo_data",
        staff_menu=(MenuItem(60, _("Organisations"), "/broker/organisations/"),),
    )
