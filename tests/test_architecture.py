"""The apps' layers hold: imports point down only and no two apps import each other.

The contracts are import-linter's, in pyproject.toml (`[tool.importlinter]`); the layer order
is drawn in docs/code-map.md. A new app gets a place in the layers before it can be installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def _layered_apps() -> set[str]:
    contracts = tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["id"] == "tenant-layers"]
    return {app.strip() for layer in layers for app in layer.split("|")}


def test_apps_import_only_downwards_and_form_no_circle() -> None:
    assert lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == 0


def test_every_tenant_app_has_a_place_in_the_layers() -> None:
    installed = {app for app in settings.TENANT_APPS if app.startswith("tenants.")}
    assert installed == _layered_apps()


def test_the_contracts_catch_an_upward_import(tmp_path: Path) -> None:
    # Given a copy of the code in which people (low) imports the marketplace (above it)
    for source in (ROOT / "tenants", ROOT / "platform" / "tijdvoorelkaar"):
        shutil.copytree(source, tmp_path / source.name, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(CONFIG, tmp_path / "pyproject.toml")
    with (tmp_path / "tenants" / "people" / "selectors.py").open("a") as selectors:
        selectors.write("\nfrom tenants.market.models import Ad  # noqa: E402, F401\n")
    # When the contracts run on it
    checked = subprocess.run(
        [Path(sys.executable).parent / "lint-imports", "pyproject.toml", "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    # Then both break, naming the import
    assert checked.returncode == 1, checked.stdout
    assert "Tenant apps import only from the layers below them BROKEN" in checked.stdout
    assert "No two apps import each other, directly or through others BROKEN" in checked.stdout
    assert "tenants.people.selectors -> tenants.market.models" in checked.stdout
