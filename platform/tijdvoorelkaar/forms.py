"""Form helpers every app's forms share (forms hold shape only; the services decide)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    """Put a service's ValidationError on the fields it names (or on the form as a whole)."""

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            self.add_error(field if field in self.fields else None, messages)  # type: ignore[attr-defined]
