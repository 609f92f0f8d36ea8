"""The evaluation report: figures per period, computed into snapshots by a job (issue 12)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "tenants.statistics"
    default_auto_field = "tijdvoorelkaar.schema_ids.SchemaId"  # one sequence: ADR 0010
    verbose_name = _("Statistics")
