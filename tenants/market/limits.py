"""Rate limits and the honeypot for the anonymous forms of the marketplace (placing an ad,
asking for a link, responding, reporting), shared by the pages and the API. Counters live in
django-ratelimit's cache, the platform cache (RATELIMIT_USE_CACHE); their groups carry the
neighbourhood's schema: one neighbourhood's visitors never use up another's."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from tenants.people.models import Participant
from tenants.people.services.participants import normalise_email, normalise_phone
from tijdvoorelkaar.accounts.spraying import client_ip

HONEYPOT_FIELD = "website"  # a field people never see; bots fill it in
RATES = {
    "place": {"ip": "5/h", "address": "3/h"},
    "links": {"ip": "10/h", "address": "3/h"},
    "respond": {"ip": "10/h", "address": "5/h"},
    "report": {"ip": "10/h", "address": "5/h"},
}


def ip_limited(request: HttpRequest, action: str) -> bool:
    """Count one attempt from this address; True once over the limit."""
    return is_ratelimited(
        request,
        group=f"{connection.schema_name}:market.{action}.ip",
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
        group=f"{connection.schema_name}:market.{action}.address",
        key=lambda _group, _req: address,
        rate=RATES[action]["address"],
        increment=True,
    )


def over_limit(request: HttpRequest, action: str, *, email: str = "", phone: str = "") -> bool:
    """Count one attempt from this IP and, unless the IP is already over, for the address
    given; True when either is used up. Addresses are normalised: case and spacing do not
    make a new one."""
    return ip_limited(request, action) or address_limited(request, action, email=email, phone=phone)


def placing_limited(request: HttpRequest, participant: Participant | None, data: Any) -> bool:
    """Count one ad placed from the site: per IP, and per the address of the signed-in
    participant or else the one given (`data`: the POST or the API's request data)."""
    return over_limit(
        request,
        "place",
        email=participant.email if participant else str(data.get("email", "")),
        phone=participant.phone if participant else str(data.get("phone", "")),
    )
