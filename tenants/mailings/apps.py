"""Subscribers, the monthly newsletter and its sending, exactly once in effect (issue 15)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "tenants.mailings"
    default_auto_field = "tijdvoorelkaar.schema_ids.SchemaId"  # one sequence: ADR 0010
    verbose_name = _("Mailings")
