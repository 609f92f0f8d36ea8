"""The quick start's second command: the whole test suite (pytest), on embedded services
unless DATABASE_URL / REDIS_URL point elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the whole test suite with pytest; extra arguments go to pytest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pytest_args", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("compiletranslations")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tijdvoorelkaar.settings.test"}
        result = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "pytest", *options["pytest_args"]],
            cwd=settings.REPO_ROOT,
            env=env,
            check=False,
        )
        sys.exit(result.returncode)
