from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood


class CreditsOn:
    """First in a view's bases: with credits off the page does not exist (404 for everyone,
    signed in or not)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not current_neighbourhood().credits_enabled:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def new_key() -> str:
    """A fresh idempotency key for a form: a double click submits it twice, one transfer."""
    return uuid.uuid4().hex
