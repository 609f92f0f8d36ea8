"""`{% workspace_menu %}`: the staff workspace's menu, from what the apps declare."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tijdvoorelkaar.contributions import MenuItem, staff_menu

register = template.Library()

CURRENT = ' aria-current="page"'


@register.simple_tag(takes_context=True)
def workspace_menu(context: dict[str, Any]) -> SafeString:
    """Each link of the menu shown in this neighbourhood, labelled as it is named there, the
    page being shown marked as current: one <li> a line, as the template's loop wrote them
    (written here: the loop's nodes cost more than the page's own lists)."""
    request = context["request"]
    neighbourhood = getattr(request, "neighbourhood", None)
    return mark_safe(  # noqa: S308 - every value escaped
        "".join(
            f'\n      <li><a href="{path}"{CURRENT if item.is_current(request.path) else ""}>'
            f"{conditional_escape(item.label_for(neighbourhood)) if item.label_from else label}"
            "</a></li>"
            for item, path, label in _menu(get_language())
            if item.is_shown(neighbourhood)
        )
    )


@functools.lru_cache(maxsize=16)
def _menu(language: str) -> tuple[tuple[MenuItem, str, str], ...]:  # the language as a key
    """Every app's links with their paths and labels in the page's language, escaped: looked
    up once per process (the labels are translations, ≈ 5 µs each)."""
    return tuple(
        (item, conditional_escape(item.path), conditional_escape(item.label))
        for item in staff_menu()
    )
