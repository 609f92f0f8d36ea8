"""Template loaders that look in the current neighbourhood's theme, then the fallback theme."""

from __future__ import annotations

from django.db import connection
from django.template.loaders import cached, filesystem

from .registry import FALLBACK_THEME, get_theme


def current_theme_slug() -> str:
    return getattr(connection.tenant, "theme", None) or FALLBACK_THEME


class ThemeLoader(filesystem.Loader):
    def get_dirs(self) -> list[str]:
        theme = get_theme(current_theme_slug())
        dirs = [str(theme.template_dir)]
        if theme.slug != FALLBACK_THEME:
            dirs.append(str(get_theme(FALLBACK_THEME).template_dir))
        return dirs


class CachedThemeLoader(cached.Loader):
    """Django's cached loader keys on the template name only; ours adds the theme."""

    def __init__(self, engine, loaders=None):  # type: ignore[no-untyped-def]
        super().__init__(
            engine,
            loaders
            or [
                "tijdvoorelkaar.theming.loaders.ThemeLoader",
                "django.template.loaders.app_directories.Loader",  # third-party apps' own
            ],
        )

    def cache_key(self, template_name, skip=None):  # type: ignore[no-untyped-def]
        return f"{current_theme_slug()}:{super().cache_key(template_name, skip)}"
