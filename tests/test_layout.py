"""The repository's shape and the promises the README makes."""

from __future__ import annotations

import platform
import re
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def test_platform_folder_is_a_source_root_not_a_package() -> None:
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert platform.system() == "Linux"  # the standard-library module still wins


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)\n```", quick_start, flags=re.DOTALL)
    assert blocks == ["python3 manage.py demo", "python3 manage.py test"]
    assert blocks[1] in (ROOT / ".ci" / "run").read_text()


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)
