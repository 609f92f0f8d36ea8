from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationsConfig(AppConfig):
    name = "tenants.mediations"
    verbose_name = _("Mediations")

    def ready(self) -> None:
        from tenants.organisations.contributions import register_organisation_part
        from tenants.people.personal_data import register_personal_data

        from .contributions import ORGANISATION, PERSONAL_DATA

        register_personal_data(self.label, PERSONAL_DATA)
        register_organisation_part(self.label, ORGANISATION)
