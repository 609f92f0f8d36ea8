from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem


class TransfersConfig(AppConfig):
    name = "tenants.transfers"
    verbose_name = _("Import and export")
    # What this app adds to the places every app shares (tijdvoorelkaar.contributions).
    contributions = Contributions(
        staff_menu=(MenuItem(90, _("Import and export"), "/broker/transfers/"),),
    )
