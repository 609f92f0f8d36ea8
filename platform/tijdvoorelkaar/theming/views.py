"""The theme's views: its colours as a stylesheet, and the error page Django's own handler
cannot theme."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views import View

from .context_processors import css_variables, theme


class ThemeVariablesView(View):
    """/theme.css: the current theme's colours (and the neighbourhood's accent colour) as CSS
    custom properties. Public, like the static files; kept for a year when asked for by its
    current version (`?v=`), which every page links to."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            f":root {{ {css_variables(request)} }}\n", content_type="text/css; charset=utf-8"
        )
        if request.GET.get("v") == theme(request)["theme_css_version"]:
            patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
        else:
            patch_cache_control(response, no_cache=True)
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The friendly 500 page, in the neighbourhood's theme (the console's look on the platform
    host) and the visitor's language. Django's default renders it without any context; the
    theme is added here, but not the other context processors: they read the session and the
    database, which may be what failed."""
    return HttpResponseServerError(render_to_string("500.html", theme(request)))
