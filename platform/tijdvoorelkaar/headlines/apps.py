"""Every neighbourhood's headline figures, copied into the public schema by the statistics job
so the operator's console reads them without entering any neighbourhood's schema (issue 12)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeadlinesConfig(AppConfig):
    name = "tijdvoorelkaar.headlines"
    verbose_name = _("Headline figures")
