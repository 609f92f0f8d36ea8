from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .loaders import current_theme_slug
from .registry import get_theme


def theme(request: HttpRequest) -> dict[str, Any]:
    """The theme and neighbourhood every page renders with."""
    neighbourhood = getattr(request, "neighbourhood", None)
    current = get_theme(current_theme_slug())
    colours = dict(current.colours)
    if neighbourhood is not None and neighbourhood.accent_colour:
        colours["primary"] = neighbourhood.accent_colour
    css = [f"--{name.replace('_', '-')}: {value}" for name, value in colours.items()]
    if current.fonts.get("body"):
        css.append(f"--font-body: {current.fonts['body']}")
    return {"theme": current, "theme_css_variables": "; ".join(css), "neighbourhood": neighbourhood}
