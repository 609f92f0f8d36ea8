"""Every API error has one of two shapes, the `Error` schema (tijdvoorelkaar.api_schema):
`{"detail": "…"}`, or field errors `{"field": ["…"]}`. Services raise Django's
ValidationError; the API answers it as a 400 naming the fields."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if response is not None:
        response.data = error_body(response.data)
    return response


def error_body(data: Any) -> dict[str, Any]:
    """DRF's error data in the one shape: a bare list of messages becomes a `detail` text, a
    nested serializer's or list's errors become flat keys (`consents.0`, `address.street`)."""
    if not isinstance(data, dict):
        return {"detail": " ".join(_messages(data))}
    body: dict[str, Any] = {}
    for key, value in data.items():
        if key == "detail":
            body[key] = value if isinstance(value, str) else " ".join(_messages(value))
        elif isinstance(value, dict):
            body.update({f"{key}.{inner}": messages for inner, messages in _flat(value)})
        else:
            body[key] = _messages(value)
    return body


def _flat(errors: dict[Any, Any]) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for key, value in errors.items():
        if isinstance(value, dict):
            found += [(f"{key}.{inner}", messages) for inner, messages in _flat(value)]
        else:
            found.append((str(key), _messages(value)))
    return found


def _messages(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [message for _key, messages in _flat(value) for message in messages]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 for a path no route matches: under /api/ in the API's own shape (a client
    reads JSON there), elsewhere the themed page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
