from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "tijdvoorelkaar.health"
    verbose_name = "Health"
