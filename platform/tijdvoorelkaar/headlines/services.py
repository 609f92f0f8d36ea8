"""Writing the headline figures the statistics job computed in a neighbourhood."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .figures import HEADLINE_KEYS
from .models import NeighbourhoodHeadline


def _checked(figures: dict[str, int | float | None]) -> dict[str, int | float | None]:
    unknown = sorted(set(figures) - set(HEADLINE_KEYS))
    if unknown:
        raise ValidationError({"figures": f"Unknown headline figures: {', '.join(unknown)}"})
    for key, value in figures.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValidationError({"figures": f"{key} must be a number or None"})
    return dict(figures)


@transaction.atomic
def record_headlines(
    *,
    neighbourhood: Neighbourhood,
    period_key: str,
    period_start: date,
    period_end: date,
    computed_at: datetime,
    figures: dict[str, int | float | None],
) -> None:
    """Store (or replace) `neighbourhood`'s headline figures for `period_key`. Figures are
    counts only (`figures.HEADLINE_KEYS`); `None` means "not applicable" (credits off)."""
    if not period_key:
        raise ValidationError({"period_key": "A period key is required."})
    if period_end < period_start:
        raise ValidationError({"period_end": "The period ends before it starts."})
    NeighbourhoodHeadline.objects.update_or_create(
        neighbourhood=neighbourhood,
        period_key=period_key,
        defaults={
            "period_start": period_start,
            "period_end": period_end,
            "computed_at": computed_at,
            "figures": _checked(figures),
        },
    )
