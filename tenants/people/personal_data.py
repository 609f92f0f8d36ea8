"""What the apps above people keep about a participant: their part of the data export, what
erasure does to their rows, and what they refresh when a participant's name or sub-area
changes.

people sits below the apps that keep such rows (the marketplace, mediations) and must not
import them, so each of them registers its part here from its `AppConfig.ready()`; the
privacy services and the participant's edit call every part, in the order the apps are
installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Participant


def as_iso(value: Any) -> str | None:
    """A date or time for the export: ISO 8601, or None."""
    return value.isoformat() if value is not None else None


def _nothing(*args: Any) -> dict[str, int]:
    return {}


@dataclass(frozen=True)
class PersonalDataPart:
    # The export's sections from this app, e.g. {"ads": [...]}; JSON-ready values.
    export: Callable[[Participant], dict[str, Any]]
    # Anonymise or close this app's rows of the participant (called inside erasure's
    # transaction with who erases); returns counts for the audit event.
    erase: Callable[[Participant, Any], dict[str, int]] = _nothing
    # The participant's public face (display name, sub-area) changed.
    public_face_changed: Callable[[], None] = lambda: None


_parts: dict[str, PersonalDataPart] = {}


def register_personal_data(app_label: str, part: PersonalDataPart) -> None:
    """Declare an app's part (once per app: registering again replaces it)."""
    _parts[app_label] = part


def personal_data_parts() -> list[PersonalDataPart]:
    return list(_parts.values())
