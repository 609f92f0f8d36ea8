"""What the marketplace's public pages share: rate limits, the 429 page, the signed-in
participant."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from tenants.people.models import Participant
from tenants.people.sessions import current_participant

# Placing an ad and asking for links: per IP and per e-mail address.
PLACE_RATE_IP = "5/h"
PLACE_RATE_EMAIL = "3/h"
LINK_RATE_IP = "10/h"
LINK_RATE_EMAIL = "3/h"


def _email_key(group: str, request: HttpRequest) -> str:
    return (request.POST.get("email") or "").strip().lower()


def over_limit(request: HttpRequest, *, group: str, ip_rate: str, email_rate: str) -> bool:
    """Count this POST against the IP and the address given; True when either is used up."""
    by_ip = is_ratelimited(
        request, group=f"{group}-ip", key="ip", rate=ip_rate, method="POST", increment=True
    )
    by_email = bool(_email_key(group, request)) and is_ratelimited(
        request,
        group=f"{group}-email",
        key=_email_key,
        rate=email_rate,
        method="POST",
        increment=True,
    )
    return by_ip or by_email


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "market/too_many.html", status=429)


def participant_or_404(request: HttpRequest) -> Participant:
    participant = current_participant(request)
    if participant is None:
        raise Http404
    return participant


def int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None
