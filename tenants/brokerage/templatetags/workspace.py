"""`{% workspace_menu as items %}`: the staff workspace's menu, from what the apps declare."""

from __future__ import annotations

from typing import Any

from django import template

from tijdvoorelkaar.contributions import MenuItem, staff_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_menu(context: dict[str, Any]) -> list[tuple[MenuItem, bool, str]]:
    """Each link of the menu shown in this neighbourhood, whether it is the page being shown,
    and its label there."""
    request = context["request"]
    neighbourhood = getattr(request, "neighbourhood", None)
    return [
        (item, item.is_current(request.path), item.label_for(neighbourhood))
        for item in staff_menu()
        if item.is_shown(neighbourhood)
    ]
