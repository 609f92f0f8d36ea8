"""What reaches people offline or by digest: the poster, the postcard, the digest of new ads (issue
15).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "tenants.outreach"
    default_auto_field = "tijdvoorelkaar.schema_ids.SchemaId"  # one sequence: ADR 0010
    verbose_name = _("Outreach")
