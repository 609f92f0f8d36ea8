from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RespondingConfig(AppConfig):
    name = "tenants.responding"
    verbose_name = _("Responding")
