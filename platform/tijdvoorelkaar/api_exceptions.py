"""Every API error has one of two shapes, the `Error` schema (tijdvoorelkaar.api_schema):
`{"detail": "…"}`, or field errors `{"field": ["…"]}`. Services raise Django's
ValidationError; the API answers it as a 400 naming the fields."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
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
    """DRF's error data in the one shape: a bare list of messages becomes a `detail` text; a
    field's nested errors (a list's items, a nested serializer's fields) its list of texts, each
    saying where it belongs ("Number 2, slug: This field is required.")."""
    if not isinstance(data, dict):
        return {"detail": " ".join(_messages(data))}
    body = {key: _messages(value) for key, value in data.items()}
    if "detail" in body:
        body["detail"] = " ".join(body["detail"])
    return body


def _messages(value: Any, place: tuple[str, ...] = ()) -> list[str]:
    if isinstance(value, dict):  # a nested serializer's fields, or a list field's items by index
        return [
            message
            for key, item in value.items()
            for message in _messages(
                item, (*place, _number(key + 1) if isinstance(key, int) else str(key))
            )
        ]
    if isinstance(value, list | tuple):
        if any(isinstance(item, dict) for item in value):  # a list serializer's items, in order
            return [
                message
                for number, item in enumerate(value, 1)
                for message in _messages(item, (*place, _number(number)))
            ]
        return [message for item in value for message in _messages(item, place)]
    return [f"{', '.join(place)}: {value}" if place else str(value)]


def _number(nth: int) -> str:
    return gettext("Number %(nth)s") % {"nth": nth}


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 for a path no route matches: under /api/ in the API's own shape (a client
    reads JSON there), elsewhere the themed page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
