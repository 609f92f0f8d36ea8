"""The report as files: CSV (every table one after the other), XLSX (one sheet per table) and
a printable PDF in the neighbourhood's theme. Only figures: no names, addresses or ids."""

from __future__ import annotations

import io
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tijdvoorelkaar.printing.document import ThemedPdf, theme_for
from tijdvoorelkaar.spreadsheets import csv_bytes, safe_cell

from .models import Snapshot
from .report import ReportTable, number_text


def _header() -> list[str]:
    return [_("Figure"), _("Value"), _("Share (%)"), _("Previous period"), _("Growth factor")]


def _table_lines(table: ReportTable) -> list[list[Any]]:
    if table.columns:
        return [list(table.columns), *table.lines]
    lines: list[list[Any]] = [_header()]
    for row in table.rows:
        value: Any = row.shown if row.suppressed else row.value
        lines.append([row.label, value, row.share, row.previous, row.growth])
    return lines


def _title(snapshot: Snapshot, neighbourhood_name: str) -> list[str]:
    computed = formats.date_format(timezone.localtime(snapshot.computed_at), "DATETIME_FORMAT")
    return [
        _("Report of %(name)s") % {"name": neighbourhood_name},
        snapshot.period.label,
        _("Computed at %(moment)s") % {"moment": computed},
    ]


def report_csv(snapshot: Snapshot, tables: list[ReportTable], neighbourhood_name: str) -> bytes:
    """Every table one after the other, as the other downloads write a CSV (`csv_bytes`)."""
    lines: list[list[Any]] = [[line] for line in _title(snapshot, neighbourhood_name)]
    for table in tables:
        lines += [[], [table.title], *_table_lines(table)]
    return csv_bytes(lines)


def report_xlsx(snapshot: Snapshot, tables: list[ReportTable], neighbourhood_name: str) -> bytes:
    workbook = Workbook()
    first = workbook.active
    workbook.remove(first)
    used: set[str] = set()
    for table in tables:
        # Sheet names: at most 31 characters, unique, none of []:*?/\ .
        name = "".join(ch for ch in table.title if ch not in "[]:*?/\\")[:31]
        while name in used:
            name = name[:28] + f" {len(used)}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        for line in _title(snapshot, neighbourhood_name):
            sheet.append([safe_cell(line)])
        sheet.append([])
        sheet.append([safe_cell(table.title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for line in _table_lines(table):
            sheet.append([safe_cell(value) for value in line])
        sheet.column_dimensions["A"].width = 45
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def report_pdf(
    snapshot: Snapshot, tables: list[ReportTable], neighbourhood: Any, language: str
) -> bytes:
    theme, accent = theme_for(neighbourhood)
    title, period, computed = _title(snapshot, neighbourhood.name)
    pdf = ThemedPdf(theme=theme, title=title, language=language, accent=accent)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.band(title, size=18)
    pdf.paragraph(period, bold=True)
    pdf.paragraph(computed, size=9)
    for table in tables:
        pdf.ln(3)
        pdf.paragraph(table.title, size=13, bold=True)
        if table.note:
            pdf.paragraph(table.note, size=9)
        lines = _table_lines(table)
        widths = (
            (75, 25, 25, 30, 30) if not table.columns else (100,) + (35,) * (len(table.columns) - 1)
        )
        with pdf.table(
            col_widths=widths, text_align="LEFT", line_height=5, first_row_as_headings=True
        ) as grid:
            for line in lines:
                cells = grid.row()
                for value in line:
                    cells.cell(
                        value
                        if isinstance(value, str)
                        else number_text(value, 2 if isinstance(value, float) else 0)
                    )
    return pdf.to_bytes()
