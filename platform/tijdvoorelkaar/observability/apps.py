from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "tijdvoorelkaar.observability"
    verbose_name = "Metrics and logs"

    def ready(self) -> None:
        from . import task_signals

        task_signals.connect()
