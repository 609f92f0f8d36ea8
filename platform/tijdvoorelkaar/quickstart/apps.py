from django.apps import AppConfig


class QuickstartConfig(AppConfig):
    name = "tijdvoorelkaar.quickstart"
    verbose_name = "Quick start"
