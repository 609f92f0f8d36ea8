from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest

from .loaders import current_theme_slug
from .registry import get_theme


def css_variables(request: HttpRequest) -> str:
    """The theme's colours and font as CSS custom properties, with the neighbourhood's own
    accent colour (a validated #rrggbb) as the primary colour."""
    neighbourhood = getattr(request, "neighbourhood", None)
    current = get_theme(current_theme_slug())
    colours = dict(current.colours)
    if neighbourhood is not None and neighbourhood.accent_colour:
        colours["primary"] = neighbourhood.accent_colour
    css = [f"--{name.replace('_', '-')}: {value}" for name, value in colours.items()]
    if current.fonts.get("body"):
        css.append(f"--font-body: {current.fonts['body']}")
    return "; ".join(css)


def theme(request: HttpRequest) -> dict[str, Any]:
    """The theme and neighbourhood every page renders with. The colours are a stylesheet of
    their own (/theme.css, see views.py), not an inline style the CSP would refuse; its
    version changes with them, so browsers may keep it for good."""
    version = hashlib.sha256(css_variables(request).encode()).hexdigest()[:12]
    return {
        "theme": get_theme(current_theme_slug()),
        "theme_css_version": version,
        "neighbourhood": getattr(request, "neighbourhood", None),
    }
