"""The evaluation report: figures per period, computed into snapshots by a job (issue 12)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "tenants.statistics"
    verbose_name = _("Statistics")
