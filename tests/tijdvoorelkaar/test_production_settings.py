"""The production settings in the documented environment (deploy/k8s/configmap.yaml plus the
secrets of deploy/k8s/secret.example.yaml): `check --deploy` finds nothing, and the CSP's
report-only switch works. Each runs manage.py in a fresh process, as a deployment does."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

DEPLOY = Path(settings.REPO_ROOT) / "deploy" / "k8s"


def _documented_environment(**overrides: str) -> dict[str, str]:
    config = yaml.safe_load((DEPLOY / "configmap.yaml").read_text())["data"]
    secret = yaml.safe_load((DEPLOY / "secret.example.yaml").read_text())["stringData"]
    return {
        "PATH": os.environ["PATH"],
        "TVE_NO_BOOTSTRAP": "1",
        **config,
        **secret,
        "SECRET_KEY": secrets.token_urlsafe(50),  # the example says "change-me: 50+ random…"
        **overrides,
    }


def _manage(*args: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(Path(settings.REPO_ROOT) / "manage.py"), *args],
        env=_documented_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_checks_pass_with_the_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRINT_SECURITY_SETTINGS = (
    "from django.conf import settings as s; "
    "print(bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY), "
    "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
)


def test_the_environment_switches_the_csp_to_report_only_and_tunes_https() -> None:
    default = _manage("shell", "--no-imports", "-c", PRINT_SECURITY_SETTINGS)
    assert default.stdout.split() == ["True", "False", "True", "True", "True"], default.stderr
    tuned = _manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT_SECURITY_SETTINGS,
        CSP_REPORT_ONLY="true",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_PRELOAD="false",
    )
    assert tuned.stdout.split() == ["False", "True", "False", "True", "False"], tuned.stderr


VIEWS_IMPORTED = (
    "import sys; {before}"
    "print('tenants.mediations.views' in sys.modules, 'tenants.transfers.api' in sys.modules)"
)


def test_a_worker_imports_every_view_when_it_starts_not_on_the_first_request() -> None:
    # Django alone imports the views on the first request: that visitor waited over 2 s.
    plain = _manage("shell", "--no-imports", "-c", VIEWS_IMPORTED.format(before=""))
    assert plain.stdout.split() == ["False", "False"], plain.stderr
    served = _manage(
        "shell", "--no-imports", "-c", VIEWS_IMPORTED.format(before="import tijdvoorelkaar.wsgi; ")
    )
    assert served.stdout.split() == ["True", "True"], served.stderr
