"""The request id of the work in progress: a web request's, or the request that queued the
task a worker runs. Logs carry it, and tasks queued during a request take it along."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

# What we accept from a proxy's X-Request-ID: short, and nothing a log line could be forged
# with (no spaces, quotes or line breaks).
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{8,64}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def accepted_or_new(incoming: str | None) -> str:
    """The incoming id when it is well formed, else a new one."""
    if incoming and ACCEPTED.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex
