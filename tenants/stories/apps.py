"""Success stories: a broker's short story of a match, published with the consent of each person
named (issue 15).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "tenants.stories"
    default_auto_field = "tijdvoorelkaar.schema_ids.SchemaId"  # one sequence: ADR 0010
    verbose_name = _("Success stories")
