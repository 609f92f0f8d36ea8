"""A budget of failed passwords per client address, across accounts and neighbourhoods.

django-axes pauses one user name at one address after a few failures; on its own that lets an
address try a few passwords on every account (password spraying). This budget counts every
wrong password from an address, on the login pages and token endpoints of every neighbourhood
and of the platform, and refuses passwords from it for the rest of the hour once
LOGIN_FAILURES_PER_IP_PER_HOUR is spent. It is generous, so that a community centre behind one
address is not locked out by its visitors' typos.

The counter is django-ratelimit's (a fixed one-hour window) in the platform cache
(RATELIMIT_USE_CACHE), whose keys are the same in every schema.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

GROUP = "accounts.failed-passwords"


def client_ip(request: HttpRequest) -> str:
    """The client's address, behind the configured number of trusted proxies (as DRF's
    throttles and django-axes see it). A server that passes none (a Unix socket) shares one
    counter rather than failing."""
    return BaseThrottle().get_ident(request) or "unknown"


def _usage(request: HttpRequest, *, increment: bool) -> dict[str, Any]:
    return get_usage(  # type: ignore[no-any-return]
        request,
        group=GROUP,
        key=lambda _group, req: client_ip(req),
        rate=f"{settings.LOGIN_FAILURES_PER_IP_PER_HOUR}/h",
        increment=increment,
    )


def budget_spent(request: HttpRequest) -> bool:
    """Whether this address has used up its failed passwords for this hour."""
    usage = _usage(request, increment=False)
    return bool(usage["count"] >= usage["limit"])


def seconds_left(request: HttpRequest) -> int:
    """Until this address's hour is over."""
    return max(int(_usage(request, increment=False)["time_left"]), 1)


def count_failure(request: HttpRequest) -> None:
    """One wrong password from this address."""
    _usage(request, increment=True)


def spent_message() -> str:
    return _(
        "Too many failed logins came from your internet connection in the last hour. "
        "For everyone's safety, logging in from this connection is paused; try again in "
        "an hour."
    )
