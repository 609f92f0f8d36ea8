"""The operator's table: every active neighbourhood's headline figures for one period, side by
side, with totals. Reads the public schema's headline rows only, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .figures import HEADLINE_KEYS, SMALL_CELL
from .models import NeighbourhoodHeadline

SUPPRESSED = "<5"
TERM = "term"


def shown(value: int | float | None) -> int | float | str | None:
    """A figure as the operator may see it: 1 to 4 become "<5"."""
    if value is not None and 0 < value < SMALL_CELL:
        return SUPPRESSED
    return value


@dataclass
class HeadlineRow:
    name: str
    slug: str
    computed_at: datetime | None
    cells: list[int | float | str | None]


@dataclass
class HeadlineTable:
    period_key: str
    keys: list[str]
    rows: list[HeadlineRow] = field(default_factory=list)
    totals: list[int | float] = field(default_factory=list)
    suppressed: list[int] = field(default_factory=list)  # per key: cells left out of the total


def period_keys() -> list[str]:
    """The periods there are headline figures for, the whole term first, then the newest."""
    latest = (
        NeighbourhoodHeadline.objects.values("period_key")
        .annotate(end=Max("period_end"))
        .order_by("-end", "period_key")
    )
    keys = [row["period_key"] for row in latest]
    return sorted(keys, key=lambda key: key != TERM)


def headline_table(period_key: str) -> HeadlineTable:
    """Every active neighbourhood (also those without figures yet) with its figures for
    `period_key`; small cells suppressed and left out of the totals (two queries)."""
    keys = list(HEADLINE_KEYS)
    stored = {
        row["neighbourhood_id"]: row
        for row in NeighbourhoodHeadline.objects.filter(period_key=period_key).values(
            "neighbourhood_id", "computed_at", "figures"
        )
    }
    table = HeadlineTable(period_key=period_key, keys=keys)
    table.totals = [0] * len(keys)
    table.suppressed = [0] * len(keys)
    active = Neighbourhood.objects.filter(status=Neighbourhood.Status.ACTIVE).order_by("name")
    for pk, name, slug in active.values_list("pk", "name", "slug"):
        row = stored.get(pk)
        figures = row["figures"] if row else {}
        cells = [shown(figures.get(key)) for key in keys]
        for index, cell in enumerate(cells):
            if cell == SUPPRESSED:
                table.suppressed[index] += 1
            elif cell is not None:
                table.totals[index] += cell
        table.rows.append(HeadlineRow(name, slug, row["computed_at"] if row else None, cells))
    return table
