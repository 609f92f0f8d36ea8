from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tijdvoorelkaar.quickstart.translations import compile_translations


class Command(BaseCommand):
    help = "Compile the .po files under locale/ (pure Python; no gettext install needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = compile_translations(settings.LOCALE_PATHS[0])
        self.stdout.write(f"Compiled {count} translation file(s).")
