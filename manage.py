#!/usr/bin/env python3
"""Django's command-line entry point.

On first use it builds its own virtualenv (.venv) from pyproject.toml and the
constraints file, then re-runs itself inside it. When DATABASE_URL or REDIS_URL
are unset it starts embedded PostgreSQL and Redis (see tijdvoorelkaar.devservices),
so a fresh machine needs nothing but Python 3.11.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
INSTALL_INPUTS = (ROOT / "pyproject.toml", ROOT / "deploy" / "constraints.txt")


def _install_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in INSTALL_INPUTS:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _ensure_virtualenv() -> None:
    """Create or refresh .venv, then re-execute this script with its Python."""
    if os.environ.get("TVE_NO_BOOTSTRAP") == "1":
        return
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    fingerprint = _install_fingerprint()
    if not python.exists():
        print("Creating .venv (first run only)...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    if not stamp.exists() or stamp.read_text() != fingerprint:
        print("Installing dependencies into .venv...", flush=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.check_call([*pip, "--upgrade", "pip"])
        constraints = str(ROOT / "deploy" / "constraints.txt")
        subprocess.check_call([*pip, "-c", constraints, "-e", f"{ROOT}[dev]"])
        stamp.write_text(fingerprint)
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


def main() -> None:
    _ensure_virtualenv()
    sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tijdvoorelkaar.settings.local")

    from tijdvoorelkaar.devservices import ensure_services

    # The test command's own process needs no Redis: the suite runs without one.
    ensure_services(redis=sys.argv[1:2] != ["test"])

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
