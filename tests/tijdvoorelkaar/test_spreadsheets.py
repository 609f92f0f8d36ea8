"""CSV downloads open in the reader's Excel: split at its list separator, with its decimal
separator (Dutch Excel reads "2.50" as 250), UTF-8 with a BOM, no formulas."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils import translation

from tijdvoorelkaar.spreadsheets import csv_bytes, write_table

ROWS = [["Name", "Balance", "Growth"], ["Zoë", Decimal("-26.50"), 1.2], ["=SUM(A1)", 3, None]]


def _read(content: bytes, delimiter: str) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def test_a_dutch_csv_has_semicolons_and_decimal_commas() -> None:
    with translation.override("nl"):
        rows = _read(csv_bytes(ROWS), ";")
    assert rows[1] == ["Zoë", "-26,50", "1,2"]
    assert rows[2] == ["'=SUM(A1)", "3", ""]


def test_an_english_csv_has_commas_and_decimal_points() -> None:
    with translation.override("en"):
        table = write_table(name="t", file_format="csv", headers=ROWS[0], rows=ROWS[1:])
    rows = _read(table.content, ",")
    assert rows[0] == ROWS[0]
    assert rows[1] == ["Zoë", "-26.50", "1.2"]
