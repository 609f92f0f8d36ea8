"""The published OpenAPI schema, made to tell the truth so a generated client can use it.

drf-spectacular's defaults declare every request body in three formats sharing one schema,
and list only the error codes a view names. Here each operation takes one format (JSON, or
multipart/form-data where a file is uploaded), and every error it can answer is declared
with the one `Error` body that tijdvoorelkaar.api_exceptions gives all errors.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": (
            'Why the request failed: {"detail": "…"}, or the fields and their problems: '
            '{"field": ["…"]}.'
        ),
        "properties": {
            "detail": {"type": "string"},
            "code": {"type": "string", "description": "A reason a program can act on."},
        },
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
)

ERROR_DESCRIPTIONS = {
    "400": "The request is not valid: the fields and their problems.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Your role does not allow this (or the session's CSRF token is missing).",
    "404": "Not found (or not yours to see).",
    "429": "Too many requests; try again later.",
}


class AutoSchema(openapi.AutoSchema):
    def map_parsers(self) -> list[str]:
        return ["multipart/form-data" if self._uploads_a_file() else "application/json"]

    def _uploads_a_file(self) -> bool:
        serializer = force_instance(self.get_request_serializer())
        return is_serializer(serializer) and any(
            isinstance(field, serializers.FileField) for field in serializer.fields.values()
        )

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        """A field says what is sent: null where its model field (or a key on the way to it)
        may be null, and "" where a read-only text, e-mail address or choice may be blank
        (DRF drops `allow_blank` from read-only fields)."""
        schema = super()._map_serializer_field(_as_sent(field), direction, bypass_extensions)
        if _model_column(field) is not None and _may_be_null(field):
            schema["nullable"] = True
        return schema

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(_as_sent(field), schema)

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        self.registry.register_on_missing(ERROR)
        responses = operation["responses"]
        for code in self._error_codes(operation):
            responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code.startswith("4") and "content" not in response:
                response["content"] = {"application/json": {"schema": ERROR.ref}}
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> list[str]:
        """The errors DRF itself answers for this operation, whatever the view does."""
        authenticators = self.view.get_authenticators()
        open_to_all = all(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        )
        unsafe = self.method not in permissions.SAFE_METHODS
        csrf = unsafe and any(isinstance(a, SessionAuthentication) for a in authenticators)
        filters = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        codes = {
            "400": unsafe or any(p["name"] != "page" for p in filters),  # services refuse
            "401": bool(authenticators),  # a token that is not valid, wherever it is sent
            "403": not open_to_all or csrf,
            # an id, a page past the end, or a capability the neighbourhood has switched off
            "404": "{" in self.path
            or self._is_list_view()
            or getattr(self.view, "switched_off_is_404", False),
            "429": bool(self.view.get_throttles()),
        }
        return [code for code, applies in codes.items() if applies]


def _as_sent(field: Any) -> Any:
    column = _model_column(field)
    # A reverse relation (`reversed_by`) is no column and has no `blank`.
    if column is None or not getattr(column, "blank", False) or getattr(field, "allow_blank", True):
        return field
    blank = copy.copy(field)
    blank.allow_blank = True
    return blank


def _path_columns(field: Any) -> list[models.Field[Any, Any]]:
    """The model fields a serializer field's `source` walks through (`organisation.name`:
    the key `organisation`, then `name`), as far as they are model fields."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    source = getattr(field, "source", None) or "*"  # unbound (a list's child): no source
    columns = []
    for name in source.split(".") if source != "*" else []:
        try:
            column = model._meta.get_field(name)  # type: ignore[union-attr]
        except (AttributeError, FieldDoesNotExist):
            break
        columns.append(column)
        model = column.related_model
    return columns


def _model_column(field: Any) -> models.Field[Any, Any] | None:
    columns = _path_columns(field) if field.read_only else []
    return columns[-1] if columns else None


def _may_be_null(field: Any) -> bool:
    return any(getattr(column, "null", False) for column in _path_columns(field))
