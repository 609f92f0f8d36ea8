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
# What a broker may choose on the preview when the detected encoding reads names wrongly:
# UTF-8 (Excel's "CSV UTF-8", Google Sheets, LibreOffice), Windows-1252 (Outlook and Excel on
# a Dutch Windows), ISO-8859-15 (older Linux and mail tools; it has the euro sign).
ENCODINGS = {
    "utf-8": "UTF-8",
    "windows-1252": "Windows-1252 (Outlook, Excel)",
    "iso-8859-15": "ISO-8859-15",
}


class UploadProblem(Exception):
    """The file as a whole cannot be read; the message is safe to show (no contents)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, cells)
    encoding: str | None = None  # how a CSV was read; None for XLSX


def detect_encoding(data: bytes) -> str:
    """How to read a CSV upload: UTF-8 (with or without BOM) when the bytes are valid UTF-8,
    UTF-16 with its BOM, else Windows-1252 (what Outlook and Excel write on a Dutch Windows),
    and only a file that is not even Windows-1252 is left to the detector. A detector alone
    takes a short Outlook export for a Baltic code page ("Zoë" read as "Zoļ")."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "windows-1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UploadProblem(
            _("The characters in this file could not be read. Save it as CSV (UTF-8).")
        )
    return str(best.encoding)


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of a CSV upload and the encoding it was read with: `encoding` when the broker
    chose one, else the detected one. A UTF-8 BOM is dropped; bytes the encoding lacks
    become U+FFFD (the preview flags the names that hold one)."""
    encoding = encoding or detect_encoding(data)
    if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode(encoding, errors="replace"), encoding
    except LookupError:
        raise UploadProblem(_("Unknown encoding.")) from None


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


def upload_bytes(upload: Any) -> bytes:
    """An uploaded file's bytes, refusing a large one before reading it."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise UploadProblem(_("The file is larger than 5 MB."))
    return bytes(upload.read())


def read_table(*, name: str, data: bytes, encoding: str | None = None) -> Table:
    """Rows of an uploaded CSV or XLSX file (first sheet; the first row names the columns).
    A CSV is read with `encoding` when given, else with the detected one."""
    if len(data) > MAX_BYTES:
        raise UploadProblem(_("The file is larger than 5 MB."))
    lowered = name.lower()
    if lowered.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadProblem(_("Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."))
    if lowered.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    text, used = decode_bytes(data, encoding)
    if "\x00" in text:
        raise UploadProblem(_("This does not look like a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        table = _table([list(line) for line in reader])
    except csv.Error:
        raise UploadProblem(_("This CSV file is damaged (check its quotes).")) from None
    table.encoding = used
    return table
