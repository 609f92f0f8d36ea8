"""Logs as JSON, one line per event, each carrying the neighbourhood's schema and the request
id (settings `LOG_FORMAT=json`, the default in production).

Log lines name ids and error classes, never personal data (docs/dangerous-constructs.md). As
a second line of defence the formatter masks anything shaped like an e-mail address or a
phone number, and writes an exception's class and stack but not its message, which may
quote a value (a database error repeats the duplicate address).
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import UTC, datetime

from .context import request_id

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Numbers as people type them (06-12345678, +31 6 1234 5678, 030 123 45 67): at least nine
# digits, so dates (2026-12-06) and ids stay readable.
PHONE = re.compile(r"(?<![\w.:-])(?:\+|00)?\d[\d \-()]{7,}\d(?![\w:]|\.\d)")
PHONE_DIGITS = 9
MASK = "[redacted]"


def scrub(text: str) -> str:
    """`text` with e-mail addresses and phone numbers masked."""
    return PHONE.sub(_phone_mask, EMAIL.sub(MASK, text))


def _phone_mask(match: re.Match[str]) -> str:
    digits = sum(char.isdigit() for char in match.group())
    return MASK if digits >= PHONE_DIGITS else match.group()


class RequestContext(logging.Filter):
    """Adds `schema` (the connection's current schema) and `request_id` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        if not hasattr(record, "schema"):  # a task's last line names the schema it ran in
            record.schema = _current_schema()
        return True


def _current_schema() -> str | None:
    try:
        from django.db import connection

        return getattr(connection, "schema_name", None)
    except Exception:  # noqa: BLE001 - settings not loaded yet: a line without a schema
        return None


# Extra fields a log call may pass (`logger.info(..., extra={...})`) that the line keeps.
EXTRA_FIELDS = ("view", "method", "status", "duration_ms", "task", "task_id", "outcome")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "schema": getattr(record, "schema", None),
            "request_id": getattr(record, "request_id", None),
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
            line["stack"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(line, default=str)
