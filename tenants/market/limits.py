"""Rate limits and the honeypot for the anonymous forms of the marketplace (placing an ad,
asking for a link, responding, reporting), shared by the pages and the API. Counters live in
Django's cache, whose keys carry the neighbourhood's schema: one neighbourhood's visitors never
use up another's."""

from __future__ import annotations

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from rest_framework.throttling import BaseThrottle

from tenants.people.services import normalise_email, normalise_phone

HONEYPOT_FIELD = "website"  # a field people never see; bots fill it in
RATES = {
    "place": {"ip": "5/h", "address": "3/h"},
    "links": {"ip": "10/h", "address": "3/h"},
    "respond": {"ip": "10/h", "address": "5/h"},
    "report": {"ip": "10/h", "address": "5/h"},
}


def client_ip(request: HttpRequest) -> str:
    """The client's address, behind the configured number of trusted proxies (as DRF's
    throttles and django-axes see it). A server that passes none (a Unix socket) shares one
    counter rather than failing."""
    return BaseThrottle().get_ident(request) or "unknown"


def ip_limited(request: HttpRequest, action: str) -> bool:
    """Count one attempt from this address; True once over the limit."""
    return is_ratelimited(
        request,
        group=f"market.{action}.ip",
        key=lambda _group, req: client_ip(req),
        rate=RATES[action]["ip"],
        increment=True,
    )


def address_limited(request: HttpRequest, action: str, *, email: str = "", phone: str = "") -> bool:
    """Count one attempt for this e-mail address (or phone number); True once over it."""
    address = normalise_email(email) or normalise_phone(phone)
    if not address:
        return False
    return is_ratelimited(
        request,
        group=f"market.{action}.address",
        key=lambda _group, _req: address,
        rate=RATES[action]["address"],
        increment=True,
    )


def over_limit(request: HttpRequest, action: str, *, email: str = "", phone: str = "") -> bool:
    """Count one attempt from this IP and, unless the IP is already over, for the address
    given; True when either is used up. Addresses are normalised: case and spacing do not
    make a new one."""
    return ip_limited(request, action) or address_limited(request, action, email=email, phone=phone)
