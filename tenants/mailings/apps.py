"""Subscribers, the monthly newsletter and its sending, exactly once in effect (issue 15)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "tenants.mailings"
    verbose_name = _("Mailings")
