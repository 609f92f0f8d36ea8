from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationsConfig(AppConfig):
    name = "tenants.mediations"
    verbose_name = _("Mediations")
