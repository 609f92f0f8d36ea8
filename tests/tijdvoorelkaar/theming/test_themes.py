"""Themes are folders: each must be complete and readable; a new folder needs no code."""

from __future__ import annotations

import shutil

import pytest

from tijdvoorelkaar.theming import registry
from tijdvoorelkaar.theming.contrast import contrast_ratio

THEMES = sorted(registry.all_themes().values(), key=lambda theme: theme.slug)


def test_there_is_a_fallback_and_at_least_two_real_themes() -> None:
    slugs = {theme.slug for theme in THEMES}
    assert registry.FALLBACK_THEME in slugs
    assert len(slugs - {registry.FALLBACK_THEME}) >= 2


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.slug)
def test_every_theme_meets_wcag_contrast(theme: registry.Theme) -> None:
    colours = theme.colours
    # Body text on the page and on cards; button text; links on the page and on cards.
    for foreground, background in [
        ("text", "background"),
        ("text", "surface"),
        ("muted", "background"),
        ("muted", "surface"),
        ("on_primary", "primary"),
        ("primary", "background"),
        ("primary", "surface"),
    ]:
        ratio = contrast_ratio(colours[foreground], colours[background])
        assert ratio >= 4.5, f"{theme.slug}: {foreground} on {background} is {ratio:.2f}:1"
    # A focus ring is a non-text element: 3:1 against what it sits on.
    assert contrast_ratio(colours["focus"], colours["background"]) >= 3
    assert contrast_ratio(colours["focus"], colours["surface"]) >= 3


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.slug)
def test_every_theme_has_its_logo(theme: registry.Theme) -> None:
    assert theme.has_static(theme.logo) or registry.get_theme("default").has_static(theme.logo)


def test_a_new_theme_is_just_a_new_folder(tmp_path, monkeypatch) -> None:
    for theme in THEMES:
        shutil.copytree(theme.folder, tmp_path / theme.slug)
    shutil.copytree(registry.THEMES_DIR / "kade", tmp_path / "polder")
    manifest = tmp_path / "polder" / "manifest.toml"
    manifest.write_text(manifest.read_text().replace('name = "Kade"', 'name = "Polder"'))
    monkeypatch.setattr(registry, "THEMES_DIR", tmp_path)
    registry.all_themes.cache_clear()
    try:
        assert ("polder", "Polder") in registry.theme_choices()
        assert registry.get_theme("polder").template_dir == tmp_path / "polder" / "templates"
        assert ("themes/polder", str(tmp_path / "polder" / "static")) in registry.staticfiles_dirs()
    finally:
        registry.all_themes.cache_clear()


def test_an_unknown_theme_falls_back_to_the_default() -> None:
    assert registry.get_theme("gone").slug == registry.FALLBACK_THEME


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
