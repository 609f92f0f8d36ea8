from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tijdvoorelkaar.operations"
    verbose_name = "Operations: backups, restores, platform figures"

    def ready(self) -> None:
        from tijdvoorelkaar.observability.exposition import PLATFORM

        from .figures import PlatformFigures

        PLATFORM.register(PlatformFigures())
