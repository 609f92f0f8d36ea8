"""The participants' survey: after a match and once a year, answers kept apart from identity (issue
12).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "tenants.surveys"
    verbose_name = _("Surveys")
