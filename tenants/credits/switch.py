"""Credits pages exist only while the neighbourhood's credits are on: otherwise a 404, before
anything else is asked (sign-in included), so that no page betrays that they ever were."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood


class CreditsOnRequired:
    """A page mixin; put it first among the bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not current_neighbourhood().credits_enabled:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]
