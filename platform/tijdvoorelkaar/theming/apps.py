from django.apps import AppConfig


class ThemingConfig(AppConfig):
    name = "tijdvoorelkaar.theming"
    verbose_name = "Theming"
