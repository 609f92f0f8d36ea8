"""The quick start: migrate, create the demo, run web + worker + beat until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tijdvoorelkaar.quickstart.demo_data import (
    DEMO_PASSWORD,
    DEMO_RECOVERY_CODES,
    DEMO_TOTP_SECRET,
    ensure_demo,
)


class Command(BaseCommand):
    help = "Set up and run the platform with two demo neighbourhoods (Ctrl-C stops everything)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=os.environ.get("SITE_PORT", "8000"))
        parser.add_argument(
            "--bind",
            default="127.0.0.1",
            help="Address to listen on. The demo runs with DEBUG on and published passwords: "
            "keep it on this machine unless you know who else can reach it.",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Only prepare the database and demo data, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        call_command("compiletranslations")
        call_command("migrate", interactive=False, verbosity=0)
        logins = ensure_demo(port)
        if options["no_serve"]:
            return
        bin_dir = Path(sys.executable).parent
        env = {**os.environ, "SITE_PORT": port}
        commands = {
            "web": [
                str(bin_dir / "gunicorn"),
                "tijdvoorelkaar.wsgi",
                "--config",
                str(settings.REPO_ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"{options['bind']}:{port}",
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
        processes = {
            name: subprocess.Popen(cmd, env=env)  # noqa: S603 - our own tools
            for name, cmd in commands.items()
        }
        self._print_welcome(logins)
        try:
            self._watch(processes)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping...")
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
            self.stdout.write("Stopped web, worker and beat; embedded services stop next.")

    def _watch(self, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(f"{name} exited with {process.returncode}; stopping.")
                    return
            time.sleep(1)

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
