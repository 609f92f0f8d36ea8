"""Keep the marketplace's link tokens out of log lines.

Django logs the path of every 4xx/5xx answer ("Not Found: /responses/<token>/reply/") and
the development server logs every path. The links mailed to residents carry their token in
the path (confirmation, sign-in, the owner's reply, "did it work out?"), so those log lines
would hold working credentials. This filter replaces each token with "[token]" before a
line is written; MarketConfig.ready() attaches it to the loggers that log paths."""

from __future__ import annotations

import logging
import re

# /ads/confirm/<t>/, /ads/sign-in/<t>/, /responses/<t>/reply/, /outcome/<t>/yes/,
# /api/v1/replies/<t>/, /api/v1/outcomes/<t>/
TOKEN_IN_PATH = re.compile(
    r"(/(?:ads/confirm|ads/sign-in|responses|outcome|api/v1/replies|api/v1/outcomes)/)"
    r"[^/\s?\"']{16,}"
)
PATH_LOGGERS = ("django.request", "django.server", "django.security", "gunicorn.access")


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(r"\1[token]", text)


class RedactLinkTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to the handler
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install() -> None:
    """Attach the filter once to every logger that writes request paths."""
    for name in PATH_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactLinkTokens) for f in logger.filters):
            logger.addFilter(RedactLinkTokens())
