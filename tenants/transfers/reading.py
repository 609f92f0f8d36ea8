"""Reading an uploaded table (CSV in whatever encoding Outlook or Excel chose, or XLSX) into
rows of strings keyed by the file's own column names. No database, no personal data in
errors or logs."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import charset_normalizer
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
DELIMITERS = (",", ";", "\t")
# Single-byte code pages that Outlook and Excel in Western Europe produce. When the detector
# names one of these, Windows-1252 (what a Dutch Windows writes) is the better reading.
WESTERN_SINGLE_BYTE = {
    "cp1250",
    "cp1252",
    "cp1254",
    "cp1257",
    "latin_1",
    "iso8859_2",
    "iso8859_9",
    "iso8859_15",
    "mac_roman",
    "mac_latin2",
}


class UploadProblem(Exception):
    """The file as a whole cannot be read; the message is safe to show (no contents)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, cells)


def decode_bytes(data: bytes) -> str:
    """Text of a CSV upload: UTF-8 (with or without BOM), UTF-16 with BOM, else detected
    (Windows-1252 for Western single-byte guesses)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding in WESTERN_SINGLE_BYTE:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            if best is None:
                raise UploadProblem(
                    _("The characters in this file could not be read. Save it as CSV (UTF-8).")
                ) from None
    return str(best)


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _unescape(value: str) -> str:
    """Our exports put a ' before cells that a spreadsheet would take for a formula."""
    if value[:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r"):
        return value[1:]
    return value


def _table(lines: list[list[object]]) -> Table:
    if not lines:
        raise UploadProblem(_("The file is empty."))
    headers = [_cell(h).lstrip("\ufeff") for h in lines[0]]
    if not any(headers):
        raise UploadProblem(_("The first row must name the columns."))
    table = Table(headers=headers)
    for number, line in enumerate(lines[1:], start=2):
        cells = [_unescape(_cell(value)) for value in line]
        if not any(cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise UploadProblem(
                _("The file has more than %(max)s rows; split it up.") % {"max": MAX_ROWS}
            )
        row = {}
        for header, value in zip(headers, cells, strict=False):
            if header and header not in row:
                row[header] = value
        table.rows.append((number, row))
    return table


def _read_xlsx(data: bytes) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise UploadProblem(_("This is not an Excel file we can read (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        return _table([list(row) for row in sheet.iter_rows(values_only=True)])
    finally:
        workbook.close()


def read_upload(upload: Any) -> Table:
    """`read_table` for an uploaded file, refusing a large one before reading it."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise UploadProblem(_("The file is larger than 5 MB."))
    return read_table(name=upload.name or "", data=upload.read())


def read_table(*, name: str, data: bytes) -> Table:
    """Rows of an uploaded CSV or XLSX file (first sheet; the first row names the columns)."""
    if len(data) > MAX_BYTES:
        raise UploadProblem(_("The file is larger than 5 MB."))
    lowered = name.lower()
    if lowered.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadProblem(_("Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."))
    if lowered.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    text = decode_bytes(data)
    if "\x00" in text:
        raise UploadProblem(_("This does not look like a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _table([list(line) for line in reader])
    except csv.Error:
        raise UploadProblem(_("This CSV file is damaged (check its quotes).")) from None
