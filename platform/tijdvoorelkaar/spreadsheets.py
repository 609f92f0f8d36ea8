"""Tables downloaded as CSV or XLSX, the same way everywhere (the transfers app's exports,
the credits overview): CSV in UTF-8 with a BOM, which Excel in every language needs to read
UTF-8, separated as the reader's Excel splits it; no cell that a spreadsheet would run as a
formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """Keep spreadsheets from running a cell as a formula (a phone number stays a number)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        if not (value[:1] in "+-" and value[1:].replace(" ", "").isdecimal()):
            return "'" + value
    return value


@dataclass
class Export:
    filename: str
    content_type: str
    content: bytes
    rows: int


def csv_delimiter() -> str:
    """Excel splits a CSV it opens at the list separator of the computer's regional settings:
    `;` where the decimal separator is a comma (Dutch), `,` where it is a point (English).
    The interface language stands in for those settings. (A `sep=` first line would force
    it, but then Excel ignores the BOM and garbles "Zoë".)"""
    return ";" if (get_language() or "").startswith("nl") else ","


def csv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    """`rows` as a CSV file the reader's Excel opens: UTF-8 with a BOM, split at
    `csv_delimiter()`, with a decimal comma where that is `;` (Dutch Excel reads "2.50" as
    250), and no cell a spreadsheet would run as a formula."""
    delimiter = csv_delimiter()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([[_csv_cell(value, delimiter == ";") for value in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: Any, decimal_comma: bool) -> Any:
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", ",") if decimal_comma else text
    return safe_cell(value)


def write_table(
    *, name: str, file_format: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Export:
    """`rows` under `headers` as `<name>.csv` or `<name>.xlsx`."""
    if file_format not in FORMATS:
        raise ValueError(file_format)
    if file_format == "csv":
        content = csv_bytes([headers, *rows])
        content_type = "text/csv; charset=utf-8"
    else:
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(name)
        sheet.append(list(headers))
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
        content_type = XLSX_TYPE
    return Export(
        filename=f"{name}.{file_format}", content_type=content_type, content=content, rows=len(rows)
    )
