"""`{% theme_static "css/theme.css" %}`: the current theme's file, else the fallback theme's."""

from __future__ import annotations

import functools
from pathlib import Path

from django import template
from django.forms import BoundField
from django.http import QueryDict
from django.templatetags.static import static

from tijdvoorelkaar.reversed_urls import link

from ..loaders import current_theme_slug
from ..menu import menu_html
from ..registry import FALLBACK_THEME, get_theme
from ..widgets import render_bound_field

register = template.Library()


@register.simple_tag
def theme_static(path: str) -> str:
    theme = get_theme(current_theme_slug())
    return _theme_file_url(theme.slug, theme.static_dir, path)


@functools.lru_cache(maxsize=1024)
def _theme_file_url(slug: str, static_dir: Path, path: str) -> str:
    """The URL of the theme's file `path`, else the fallback theme's. A theme's files (and
    the static files' settings) come with the code, so this is worked out once per process,
    not three times on every page."""
    owner = slug if (static_dir / path).is_file() else FALLBACK_THEME
    return static(f"themes/{owner}/{path}")


@register.simple_tag
def accessible_widget(field: BoundField) -> str:
    """Render a form field's widget tied to its help text and errors for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
    attrs = {}
    if described_by and not field.use_fieldset:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return render_bound_field(field, attrs)  # field.as_widget(attrs=attrs), without templates


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """`?…&page=N`: the current query (filters, search) kept, only the page changed."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query["page"] = str(number)
    return f"?{query.urlencode()}"


@register.simple_tag
def menu_url(name: str) -> str:
    """`{% url name %}` for a link without arguments, reversed once per process (per URLconf
    and script prefix): the menu on every page has up to a dozen."""
    return link(name)


@register.simple_tag(takes_context=True)
def site_menu(context: template.Context) -> str:
    """The main menu (`includes/nav.html`), kept per kind of menu: see theming/menu.py."""
    return menu_html(context)
