"""The quick start: migrate, create the demo, run web + worker + beat until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import psutil
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from tijdvoorelkaar.devservices import exit_on_termination_signals
from tijdvoorelkaar.quickstart.demo_data import (
    DEMO_PASSWORD,
    DEMO_RECOVERY_CODES,
    DEMO_TOTP_SECRET,
    ensure_demo,
)

# Web, worker and beat get this long to stop on their own (gunicorn's graceful timeout is 10 s;
# a task the worker is killed in is delivered again later), then they and theirs are killed.
STOP_TIMEOUT_SECONDS = 15


def demo_settings_module(*, debug: bool) -> str:
    """The settings web, worker and beat run with: DEBUG off unless asked for."""
    return "tijdvoorelkaar.settings.debug" if debug else "tijdvoorelkaar.settings.local"


class Command(BaseCommand):
    help = "Set up and run the platform with two demo neighbourhoods (Ctrl-C stops everything)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=os.environ.get("SITE_PORT", "8000"))
        parser.add_argument(
            "--bind",
            default="127.0.0.1",
            help="Address to listen on. The demo has published passwords: "
            "keep it on this machine unless you know who else can reach it.",
        )
        parser.add_argument(
            "--debug",
            action="store_true",
            help="Run with DEBUG on (Django's error pages with tracebacks), for developers.",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Only prepare the database and demo data, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        exit_on_termination_signals()  # SIGTERM, too, stops web, worker and beat below
        port = options["port"]
        call_command("compiletranslations")
        call_command("migrate", interactive=False, verbosity=0)
        # The demo's own mails (its newsletter, invitations) are written here, before web and
        # worker start with SITE_PORT: their links must name the port the demo serves on.
        with override_settings(SITE_PORT=port):
            logins = ensure_demo(port)
        if options["no_serve"]:
            return
        env = {
            **os.environ,
            "SITE_PORT": port,
            "DJANGO_SETTINGS_MODULE": demo_settings_module(debug=options["debug"]),
        }
        # Each in its own process group: Ctrl-C in the terminal reaches only this command,
        # which then stops them in `_stop`; otherwise beat could exit first and the demo
        # would report it as a failure.
        processes = {
            name: subprocess.Popen(command, env=env, process_group=0)  # noqa: S603 - our tools
            for name, command in self._commands(options["bind"], port).items()
        }
        self._print_welcome(logins)
        failed = None
        try:
            failed = self._watch(processes)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping...")
        finally:
            self._stop(processes)
        if failed:
            raise CommandError(f"{failed} stopped, so the demo stopped too.")

    def _commands(self, bind: str, port: str) -> dict[str, list[str]]:
        bin_dir = Path(sys.executable).parent
        return {
            "web": [
                str(bin_dir / "gunicorn"),
                "tijdvoorelkaar.wsgi",
                "--config",
                str(settings.REPO_ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"{bind}:{port}",
                "--no-control-socket",  # one per user by default: a second demo would take it
            ],
            "worker": [
                str(bin_dir / "celery"),
                "-A",
                "tijdvoorelkaar",
                "worker",
                "--loglevel=warning",
                "--concurrency=2",
            ],
            "beat": [
                str(bin_dir / "celery"),
                "-A",
                "tijdvoorelkaar",
                "beat",
                "--loglevel=warning",
                "--schedule",
                str(settings.DATA_DIR / "celerybeat-schedule"),
            ],
        }

    def _watch(self, processes: dict[str, subprocess.Popen[bytes]]) -> str | None:
        """Wait until one of them exits; returns its name."""
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(f"{name} exited with {process.returncode}; stopping.")
                    return name
            time.sleep(1)

    def _stop(self, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        """Ask web, worker and beat to stop, then kill whatever of them is left, their own
        children included (gunicorn's and the worker's): those would otherwise be adopted
        by init and keep running once their parent is gone."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
        family = psutil.Process().children(recursive=True)
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        _, alive = psutil.wait_procs(family, timeout=STOP_TIMEOUT_SECONDS)
        for process in alive:
            with suppress(psutil.NoSuchProcess):
                process.kill()
        psutil.wait_procs(alive, timeout=5)
        for process in processes.values():
            process.wait()  # psutil reaped them already; this only records their exit
        self.stdout.write("Stopped web, worker and beat; embedded services stop next.")

    def _print_welcome(self, logins: list[Any]) -> None:
        lines = ["", "TijdVoorElkaar is running. Open:"]
        for login in logins:
            lines.append(f"  {login.url:<42} {login.role:<9} {login.email}")
        lines += [
            f"  Password for every demo login: {DEMO_PASSWORD}",
            "  Two-step code (demo only, published): add the key "
            f"{DEMO_TOTP_SECRET} to an authenticator app (time-based, 6 digits),",
            f"  or use a recovery code {DEMO_RECOVERY_CODES[0]} … {DEMO_RECOVERY_CODES[-1]} "
            "(each once; restarting the demo restores them)",
            "  Mail sent by the platform: console → Inbox (http://localhost:"
            f"{logins[0].url.rsplit(':', 1)[1].strip('/')}/inbox/)",
            "  Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write("\n".join(lines))
