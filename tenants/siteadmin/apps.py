from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteAdminConfig(AppConfig):
    name = "tenants.siteadmin"
    verbose_name = _("Neighbourhood administration")
