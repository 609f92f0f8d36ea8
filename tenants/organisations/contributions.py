"""What the apps above organisations show about an organisation: sections of its page (the
marketplace's vacancies, mediations' placements) and counts on the list (vacancies).

organisations sits below those apps (their models point at Organisation) and must not import
them, so each registers its part here from its `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Aggregate

from .models import Organisation


@dataclass(frozen=True)
class OrganisationPart:
    # Extra context for the organisation's page, e.g. {"vacancies": <queryset>}.
    page: Callable[[Organisation], dict[str, Any]]
    # Annotations for the list, e.g. {"vacancy_count": Count(...)}: one query for all rows.
    counts: Callable[[], Mapping[str, Aggregate]] = field(default=dict)


_parts: dict[str, OrganisationPart] = {}


def register_organisation_part(app_label: str, part: OrganisationPart) -> None:
    """Declare an app's part (once per app: registering again replaces it)."""
    _parts[app_label] = part


def organisation_parts() -> list[OrganisationPart]:
    return list(_parts.values())
