"""The code's name (tijdvoorelkaar/release.py): the deploy's when it gives one, else a digest
that changes with any template."""

from __future__ import annotations

from pathlib import Path

from tijdvoorelkaar import release


def test_the_deploy_names_its_release(settings) -> None:
    settings.RELEASE = "2026.12.06-abc123"
    release.code_version.cache_clear()
    try:
        assert release.code_version() == "2026.12.06-abc123"
    finally:
        release.code_version.cache_clear()


def test_without_a_name_a_changed_template_is_another_release(settings, tmp_path: Path) -> None:
    for folder in ("platform", "tenants", "themes"):
        (tmp_path / folder).mkdir()
    page = tmp_path / "themes" / "list.html"
    page.write_text("<ul></ul>")
    settings.RELEASE, settings.REPO_ROOT = "", tmp_path
    release.code_version.cache_clear()
    try:
        before = release.code_version()
        release.code_version.cache_clear()
        assert release.code_version() == before  # the same files, the same name
        page.write_text("<ol></ol>")
        release.code_version.cache_clear()
        assert release.code_version() != before
    finally:
        release.code_version.cache_clear()
