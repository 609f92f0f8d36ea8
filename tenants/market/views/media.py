"""Photos in development and the demo (production serves MEDIA_ROOT from the web server with
the same rule): a neighbourhood's host serves only files under its own schema's folder."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def serve_media(request: HttpRequest, schema: str, path: str) -> HttpResponse:
    if not getattr(settings, "SERVE_MEDIA", False) or schema != connection.schema_name:
        raise Http404
    return serve(request, path, document_root=str(Path(settings.MEDIA_ROOT) / schema))
