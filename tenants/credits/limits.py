"""A budget of wrong voucher codes, per client address and per person, shared by the page and
the API: a shop's typo costs little, guessing costs the hour. Counters are django-ratelimit's
in the platform cache, their groups carrying the neighbourhood's schema."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from tijdvoorelkaar.accounts.spraying import client_ip

WRONG_CODES_PER_HOUR = 10


def _counters(request: HttpRequest, who: str) -> list[tuple[str, str]]:
    prefix = f"{connection.schema_name}:credits.voucher-code"
    return [(f"{prefix}.ip", client_ip(request)), (f"{prefix}.who", who)]


def _usage(request: HttpRequest, group: str, key: str, *, increment: bool) -> Any:
    return get_usage(
        request,
        group=group,
        key=lambda _group, _req: key,
        rate=f"{WRONG_CODES_PER_HOUR}/h",
        increment=increment,
    )


def code_tries_spent(request: HttpRequest, who: str) -> bool:
    """Whether this address or this person (`who`: a user's or participant's key) has
    used up its wrong codes for the hour; counts nothing."""
    for group, key in _counters(request, who):
        usage = _usage(request, group, key, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def count_wrong_code(request: HttpRequest, who: str) -> None:
    for group, key in _counters(request, who):
        _usage(request, group, key, increment=True)
