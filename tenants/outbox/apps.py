from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood


class OutboxConfig(AppConfig):
    name = "tenants.outbox"
    verbose_name = _("Outbox")
    # What this app adds to the places every app shares (tijdvoorelkaar.contributions).
    contributions = Contributions(
        beat={"outbox-sweep": every_neighbourhood("outbox.sweep", 300.0)},
    )
