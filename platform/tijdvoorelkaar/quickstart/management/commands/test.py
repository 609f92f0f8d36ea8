"""The quick start's second command: the whole test suite (pytest), on embedded services
unless DATABASE_URL / REDIS_URL point elsewhere. Any arguments go to pytest unchanged, after
the parallel run's own (`-n 0` runs everything in one process)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Each pytest-xdist worker repeats the start-up (its own test database, blueprint and cast):
# beyond a few workers that costs more than it saves for a suite of this size.
MAX_WORKERS = 4


def parallel_arguments() -> list[str]:
    """One pytest-xdist worker per usable core (docs/testing.md#suite-time). A test file runs
    whole on one worker, so its module fixtures (a browser module's Chromium and copies, the
    demo's data folder) are built once; later arguments override these."""
    workers = min(len(os.sched_getaffinity(0)), MAX_WORKERS)
    # In collection order (not most tests first): the long browser modules start first.
    return [f"--numprocesses={workers}", "--dist=loadfile", "--no-loadscope-reorder"]


class Command(BaseCommand):
    help = "Run the whole test suite with pytest; arguments are passed to pytest."

    pytest_args: list[str] = []

    def run_from_argv(self, argv: list[str]) -> None:
        self.pytest_args = argv[2:]  # not parsed here: pytest's options are its own
        self.execute(force_color=False, no_color=False, skip_checks=True, verbosity=1)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("compiletranslations", verbosity=0)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tijdvoorelkaar.settings.test"}
        result = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "pytest", *parallel_arguments(), *self.pytest_args],
            cwd=settings.REPO_ROOT,
            env=env,
            check=False,
        )
        sys.exit(result.returncode)
