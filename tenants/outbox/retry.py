"""The outbox's retry policy: which failures are worth another try, and when.

A mail server that is down, slow or busy (connection errors, timeouts, SMTP 4xx) is retried
with capped exponential back-off and full jitter for OUTBOX_RETRY_FOR_SECONDS (24 hours), so
an outage of a mail provider delays mail rather than losing it. A mail server that refuses
the message itself (a 5xx in reply to the recipient or the data) will refuse it again: that
fails at once, with the reason recorded for the admin.
"""

from __future__ import annotations

import random
import re
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

# RFC 3463's enhanced status code ("5.1.1"): says why without quoting the address.
_ENHANCED_CODE = re.compile(rb"\b[245]\.\d{1,3}\.\d{1,3}\b")


@dataclass(frozen=True)
class Failure:
    reason: str  # the error's class and SMTP codes: no addresses, no server text
    permanent: bool
    # A 5xx to the recipient itself (RCPT TO): the address, not the message, is refused.
    recipient_refused: bool = False


def retry_delay(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: a random time ("full jitter", so that the
    messages of one outage do not all come back at once) up to 30 s, 1 min, 2 min, … capped
    at OUTBOX_RETRY_MAX_DELAY_SECONDS."""
    ceiling = min(
        settings.OUTBOX_RETRY_MAX_DELAY_SECONDS,
        settings.OUTBOX_RETRY_BASE_DELAY_SECONDS * 2 ** min(max(attempts - 1, 0), 30),
    )
    return timedelta(seconds=random.uniform(0, ceiling))  # noqa: S311 - spreading, not secrecy


def classify(error: BaseException) -> Failure:
    """Whether another attempt could succeed, and a reason fit for the admin's page."""
    code, detail = _smtp_reply(error)
    reason = type(error).__name__ + (f" {code}" if code else "") + (f" {detail}" if detail else "")
    # A 5xx refusing this message (recipient, sender, content) is final. A 5xx to the session
    # itself (login, STARTTLS) is a setting of ours that an operator fixes: keep trying.
    per_message = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
    return Failure(
        reason=reason[:300],
        permanent=isinstance(error, per_message) and code >= 500,
        recipient_refused=isinstance(error, smtplib.SMTPRecipientsRefused) and code >= 500,
    )


def _smtp_reply(error: BaseException) -> tuple[int, str]:
    """The SMTP reply code and enhanced status code of an error, if it carries a reply."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # Each refused recipient has its own reply; the mildest decides (one 4xx: try again).
        replies = list(error.recipients.values()) or [(0, b"")]
        code, text = min(replies, key=lambda reply: reply[0])
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    else:
        return 0, ""
    text = text if isinstance(text, bytes) else str(text).encode()
    enhanced = _ENHANCED_CODE.search(text)
    return code, enhanced.group().decode() if enhanced else ""
