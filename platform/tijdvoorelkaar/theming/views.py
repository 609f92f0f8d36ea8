"""The error page Django's own handler cannot theme."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

from .context_processors import theme


def server_error(request: HttpRequest) -> HttpResponse:
    """The friendly 500 page, in the neighbourhood's theme (the console's look on the platform
    host) and the visitor's language. Django's default renders it without any context; the
    theme is added here, but not the other context processors: they read the session and the
    database, which may be what failed."""
    return HttpResponseServerError(render_to_string("500.html", theme(request)))
