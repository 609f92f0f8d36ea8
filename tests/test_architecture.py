"""The apps' layers hold: imports point down only and no two apps import each other.

The contracts are import-linter's, in pyproject.toml (`[tool.importlinter]`); the layer order,
platform and tenant apps together, is drawn in docs/code-map.md. A new app or platform module
gets a place in the layers before it can be used.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"
PLATFORM = ROOT / "platform" / "tijdvoorelkaar"


def _layered_apps() -> set[str]:
    contracts = tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["id"] == "layers"]
    return {app.strip() for layer in layers for app in layer.replace(":", "|").split("|")}


def test_apps_import_only_downwards_and_form_no_circle() -> None:
    # import-linter configures logging with disable_existing_loggers left True: every logger
    # that exists (django.request among them) would stay silent for the rest of this process.
    loggers = [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.disabled
    ]
    try:
        assert lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == 0
    finally:
        for logger in loggers:
            logger.disabled = False


def test_every_tenant_app_has_a_place_in_the_layers() -> None:
    installed = {app for app in settings.TENANT_APPS if app.startswith("tenants.")}
    assert installed == {app for app in _layered_apps() if app.startswith("tenants.")}


def test_every_platform_module_has_a_place_in_the_layers() -> None:
    modules = {
        f"tijdvoorelkaar.{path.stem}"
        for path in PLATFORM.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert modules == {app for app in _layered_apps() if app.startswith("tijdvoorelkaar.")}


UPWARD = "Apps import only from the layers below them BROKEN"
CIRCLE = "No two apps import each other, directly or through others BROKEN"


@pytest.mark.parametrize(
    ("module", "imported", "broken"),
    [
        # a tenant app (people, low) imports the marketplace (above it)
        ("tenants.people.selectors", "tenants.market.models", {UPWARD, CIRCLE}),
        # the platform's queueing reads the registry, which queues through it
        ("tijdvoorelkaar.jobs", "tijdvoorelkaar.neighbourhoods.selectors", {UPWARD, CIRCLE}),
        # the audit log (foundation) imports accounts, which records into it: a circle
        # between the two packages, which only the layers see
        ("tenants.audit.models", "tijdvoorelkaar.accounts.models", {UPWARD}),
    ],
)
def test_the_contracts_catch_an_upward_import(
    tmp_path: Path, module: str, imported: str, broken: set[str]
) -> None:
    # Given a copy of the code in which `module` imports `imported`, above it
    for source in (ROOT / "tenants", PLATFORM):
        shutil.copytree(source, tmp_path / source.name, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(CONFIG, tmp_path / "pyproject.toml")
    with (tmp_path / f"{module.replace('.', '/')}.py").open("a") as source_file:
        source_file.write(f"\nimport {imported}  # noqa: E402, F401\n")
    # When the contracts run on it
    checked = subprocess.run(
        [Path(sys.executable).parent / "lint-imports", "pyproject.toml", "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    # Then the contracts it goes against break, naming the import, and the others hold
    assert checked.returncode == 1, checked.stdout
    assert {UPWARD, CIRCLE} & set(checked.stdout.splitlines()) == broken, checked.stdout
    assert f"{module} -> {imported}" in checked.stdout
