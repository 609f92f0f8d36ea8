"""Themes are folders under themes/: a manifest.toml, templates/ and static/.

A new theme is a new folder; nothing here names a theme except the fallback.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

THEMES_DIR = Path(__file__).resolve().parents[3] / "themes"
FALLBACK_THEME = "default"
REQUIRED_COLOURS = (
    "primary",
    "on_primary",
    "background",
    "surface",
    "text",
    "muted",
    "accent",
    "focus",
)


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    description: str
    colours: dict[str, str]
    logo: str
    folder: Path
    fonts: dict[str, str] = field(default_factory=dict)

    @property
    def template_dir(self) -> Path:
        return self.folder / "templates"

    @property
    def static_dir(self) -> Path:
        return self.folder / "static"

    def has_static(self, path: str) -> bool:
        return (self.static_dir / path).is_file()


def _load(folder: Path) -> Theme:
    manifest = tomllib.loads((folder / "manifest.toml").read_text())
    colours = manifest["colours"]
    missing = [name for name in REQUIRED_COLOURS if name not in colours]
    if missing:
        raise ValueError(f"Theme {folder.name}: manifest lacks colours {missing}")
    return Theme(
        slug=folder.name,
        name=manifest["name"],
        description=manifest.get("description", ""),
        colours=colours,
        logo=manifest.get("logo", "logo.svg"),
        folder=folder,
        fonts=manifest.get("fonts", {}),
    )


@cache
def all_themes() -> dict[str, Theme]:
    folders = sorted(p for p in THEMES_DIR.iterdir() if (p / "manifest.toml").is_file())
    return {folder.name: _load(folder) for folder in folders}


def get_theme(slug: str | None) -> Theme:
    themes = all_themes()
    return themes.get(slug or FALLBACK_THEME, themes[FALLBACK_THEME])


def theme_choices() -> list[tuple[str, str]]:
    return [(slug, theme.name) for slug, theme in all_themes().items()]


def staticfiles_dirs() -> list[tuple[str, str]]:
    """Each theme's static/ is served under /static/themes/<slug>/."""
    return [(f"themes/{slug}", str(theme.static_dir)) for slug, theme in all_themes().items()]
