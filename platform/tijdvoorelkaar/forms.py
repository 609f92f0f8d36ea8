"""Form helpers every app's forms share (forms hold shape only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (yyyy-mm-dd), whatever the page's
    language: `<input type="date">` shows nothing for a localised value such as 31-12-2025."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ServiceErrorsMixin:
    """Put a service's ValidationError on the fields it names (or on the form as a whole)."""

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            self.add_error(field if field in self.fields else None, messages)  # type: ignore[attr-defined]
