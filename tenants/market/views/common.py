"""What the marketplace's public pages share: the 429 page, the signed-in participant."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.people.models import Participant
from tenants.people.sessions import current_participant


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "market/too_many.html", status=429)


def participant_or_404(request: HttpRequest) -> Participant:
    participant = current_participant(request)
    if participant is None:
        raise Http404
    return participant


def int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdecimal() else None
