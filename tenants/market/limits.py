"""Rate limits and the honeypot for the anonymous forms of the marketplace (placing an ad,
asking for a link, responding, reporting), shared by the pages and the API. Counters live in
django-ratelimit's cache, the platform cache (RATELIMIT_USE_CACHE); their groups carry the
neighbourhood's schema: one neighbourhood's visitors never use up another's.

Placing counts only the ads it accepts (a typo must not use up the hour), per IP with a
budget for a community centre's shared computer, and per e-mail address or phone number."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django_ratelimit.core import get_usage, is_ratelimited

from tenants.people.models import Participant
from tenants.people.services.participants import normalise_email, normalise_phone
from tijdvoorelkaar.accounts.spraying import client_ip

HONEYPOT_FIELD = "website"  # a field people never see; bots fill it in
RATES = {
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


def _placing_counters(
    request: HttpRequest, participant: Participant | None, data: Any
) -> list[tuple[str, str, str]]:
    """(group, key, rate) of each budget an ad placed from the site uses: the IP's, and the
    contact's (the signed-in participant's, else the e-mail address or phone given)."""
    email = participant.email if participant else str(data.get("email", ""))
    phone = participant.phone if participant else str(data.get("phone", ""))
    contact = normalise_email(email) or normalise_phone(phone)
    prefix = f"{connection.schema_name}:market.place"
    counters = [(f"{prefix}.ip", client_ip(request), f"{settings.ADS_PER_IP_PER_HOUR}/h")]
    if contact:
        counters.append((f"{prefix}.contact", contact, f"{settings.ADS_PER_CONTACT_PER_HOUR}/h"))
    return counters


def _usage(request: HttpRequest, counter: tuple[str, str, str], *, increment: bool) -> Any:
    group, key, rate = counter
    return get_usage(
        request, group=group, key=lambda _group, _req: key, rate=rate, increment=increment
    )


def placing_limited(request: HttpRequest, participant: Participant | None, data: Any) -> bool:
    """True when this IP or this contact has placed its budget of ads this hour; counts
    nothing (`count_placed` does, once an ad is accepted). `data`: the POST or the API's
    request data."""
    for counter in _placing_counters(request, participant, data):
        usage = _usage(request, counter, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def count_placed(request: HttpRequest, participant: Participant | None, data: Any) -> None:
    """Count an accepted ad against the IP's and the contact's budgets."""
    for counter in _placing_counters(request, participant, data):
        _usage(request, counter, increment=True)
