from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "tenants.market"
    default_auto_field = "tijdvoorelkaar.schema_ids.SchemaId"  # one sequence: ADR 0010
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from .redaction import install

        install()  # link tokens in paths never reach a log line
