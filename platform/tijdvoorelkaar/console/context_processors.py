from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .inbox import inbox_enabled


def console(request: HttpRequest) -> dict[str, Any]:
    """What the console's menu needs on every platform page."""
    if getattr(request, "neighbourhood", None) is not None:
        return {}
    return {"inbox_enabled": inbox_enabled()}
