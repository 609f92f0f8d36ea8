"""The operator's table as CSV: the same suppressed cells and totals as the page, written as
every other download is (`csv_bytes`: separator and decimal comma by language, a BOM)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tijdvoorelkaar.spreadsheets import csv_bytes

from .figures import HEADLINE_KEYS
from .selectors import HeadlineTable


def headline_csv(table: HeadlineTable) -> bytes:
    """One row per neighbourhood, then the totals and the count of cells left out."""
    rows: list[list[object]] = [
        [_("Neighbourhood"), _("Period"), *[str(HEADLINE_KEYS[k]) for k in table.keys]]
    ]
    rows += [
        [row.name, table.period_key, *["" if cell is None else cell for cell in row.cells]]
        for row in table.rows
    ]
    rows.append([_("Total (without cells under 5)"), table.period_key, *table.totals])
    rows.append([_("Cells under 5 left out"), table.period_key, *table.suppressed])
    return csv_bytes(rows)
