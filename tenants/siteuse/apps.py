"""Site use counted without cookies or identifiers: a daily rotating salted hash per visitor (issue
12).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteUseConfig(AppConfig):
    name = "tenants.siteuse"
    default_auto_field = "tijdvoorelkaar.schema_ids.SchemaId"  # one sequence: ADR 0010
    verbose_name = _("Site use")
