"""`{% workspace_menu as items %}`: the staff workspace's menu, from what the apps declare."""

from __future__ import annotations

from typing import Any

from django import template

from tijdvoorelkaar.contributions import MenuItem, staff_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_menu(context: dict[str, Any]) -> list[tuple[MenuItem, bool]]:
    """Each link of the menu, and whether it is the page being shown."""
    path = context["request"].path
    return [(item, item.is_current(path)) for item in staff_menu()]
