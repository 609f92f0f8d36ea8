"""The quick start's second command: the whole test suite (pytest), on embedded services
unless DATABASE_URL / REDIS_URL point elsewhere. Any arguments go to pytest unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the whole test suite with pytest; arguments are passed to pytest."

    def run_from_argv(self, argv: list[str]) -> None:
        self.pytest_args = argv[2:]  # not parsed here: pytest's options are its own
        self.execute(force_color=False, no_color=False, skip_checks=True, verbosity=1)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("compiletranslations", verbosity=0)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tijdvoorelkaar.settings.test"}
        result = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "pytest", *getattr(self, "pytest_args", [])],
            cwd=settings.REPO_ROOT,
            env=env,
            check=False,
        )
        sys.exit(result.returncode)
