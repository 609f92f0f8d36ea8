"""The operator's table as CSV: the same suppressed cells and totals as the page."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from .figures import HEADLINE_KEYS
from .selectors import HeadlineTable


def _text(value: str) -> str:
    # A name a spreadsheet would take for a formula is written as text (CSV injection).
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def headline_csv(table: HeadlineTable) -> str:
    """UTF-8 with a BOM (Excel needs it), one row per neighbourhood, then the totals."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("Neighbourhood"), _("Period"), *[str(HEADLINE_KEYS[k]) for k in table.keys]])
    for row in table.rows:
        writer.writerow(
            [
                _text(row.name),
                _text(table.period_key),
                *["" if cell is None else cell for cell in row.cells],
            ]
        )
    writer.writerow([_("Total (without cells under 5)"), table.period_key, *table.totals])
    writer.writerow([_("Cells under 5 left out"), table.period_key, *table.suppressed])
    return buffer.getvalue()
