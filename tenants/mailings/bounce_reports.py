"""Reading a mail that came back to a bounce address: is it a hard bounce, a complaint, or
something to leave alone? Pure functions on the raw bytes (the standard library's `email`);
nothing here touches the database.

- A **delivery status notification** (RFC 3464: `multipart/report;
  report-type=delivery-status`, with a `message/delivery-status` part): a hard bounce when a
  recipient's `Action` is `failed` with a `Status` 5.x.x (or, without a Status, a 5xx in its
  `Diagnostic-Code`). `delayed`, `delivered`, `relayed` and 4.x.x say nothing final.
- A **complaint** (ARF, RFC 5965: `report-type=feedback-report`, with a
  `message/feedback-report` part) whose `Feedback-Type` is `abuse` or `fraud`: someone marked
  the mail as spam. Authentication-failure reports (RFC 6591) and `not-spam` are not.
- Anything else (auto-replies, which RFC 3834 sends to the envelope sender too; bounces in a
  format of their own, as old qmail writes them; spam) is ignored.

What identifies the message is gathered, not trusted: the addresses that may carry a VERP
token (the envelope recipient, `Delivered-To`, `X-Original-To`, `Envelope-To`, `To`, the
original's `Return-Path`, ARF's `Original-Mail-From`) and the original's Message-ID (from a
`text/rfc822-headers` or `message/rfc822` part, or Gmail's `X-Original-Message-ID`).
bounces.py checks them.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses

BOUNCE = "bounce"
COMPLAINT = "complaint"
COMPLAINT_TYPES = {"abuse", "fraud"}
ADDRESS_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To")
ORIGINAL_PARTS = {"text/rfc822-headers", "message/rfc822", "message/rfc822-headers"}

_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_REPLY = re.compile(r"\b([245])\d\d\b")


@dataclass(frozen=True)
class Report:
    """A hard bounce or a complaint, with what may say which message it is about."""

    kind: str  # BOUNCE or COMPLAINT
    code: str  # the enhanced status code ("5.1.1"), or the feedback type ("abuse")
    addresses: tuple[str, ...]  # where a VERP token may be, best first
    message_ids: tuple[str, ...]  # the original's Message-ID(s)


def read_report(raw: bytes, envelope_recipient: str = "") -> Report | None:
    """The hard bounce or complaint in `raw`, or None for anything to ignore."""
    try:
        message = email.message_from_bytes(raw)
        found = _bounce_code(message)
        kind = BOUNCE
        if found is None:
            found, kind = _complaint_type(message), COMPLAINT
        if found is None:
            return None
        original = _original_headers(message)
    except (ValueError, LookupError, TypeError, IndexError):
        return None  # malformed beyond what the parser forgives: not a report we can read
    return Report(
        kind=kind,
        code=found,
        addresses=_addresses(envelope_recipient, message, original),
        message_ids=_message_ids(message, original),
    )


def _parts(message: Message, content_type: str) -> list[Message]:
    return [part for part in message.walk() if part.get_content_type() == content_type]


def _fields(part: Message) -> list[Message]:
    """The header blocks of a `message/*` report part, however it was encoded."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    text = part.get_payload(decode=True) or b""  # a part sent as base64 or as plain text
    blocks = re.split(r"\r?\n\s*\r?\n", text.decode("utf-8", "replace"))
    return [HeaderParser().parsestr(block) for block in blocks if block.strip()]


def _bounce_code(message: Message) -> str | None:
    """The enhanced status code of the first recipient that failed for good, if any."""
    for part in _parts(message, "message/delivery-status"):
        for block in _fields(part):
            if str(block.get("Action", "")).strip().lower() != "failed":
                continue
            code = _status_of(block)
            if code and code.startswith("5"):
                return code
    return None


def _status_of(block: Message) -> str:
    status = _ENHANCED.search(str(block.get("Status", "")))
    if status:
        return status.group()
    diagnostic = str(block.get("Diagnostic-Code", ""))
    enhanced = _ENHANCED.search(diagnostic)
    if enhanced:
        return enhanced.group()
    reply = _REPLY.search(diagnostic)
    return f"{reply.group(1)}.0.0" if reply else ""


def _complaint_type(message: Message) -> str | None:
    for part in _parts(message, "message/feedback-report"):
        for block in _fields(part):
            kind = str(block.get("Feedback-Type", "")).strip().lower()
            if kind in COMPLAINT_TYPES:
                return kind
    return None


def _original_headers(message: Message) -> Message:
    """The headers of the mail the report is about (empty when it quotes none)."""
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type not in ORIGINAL_PARTS:
            continue
        payload = part.get_payload()
        if isinstance(payload, list) and payload:
            return payload[0]
        text = part.get_payload(decode=True) or b""
        return HeaderParser().parsestr(text.decode("utf-8", "replace"), headersonly=True)
    return Message()


def _message_ids(message: Message, original: Message) -> tuple[str, ...]:
    values = [str(value) for value in original.get_all("Message-ID", [])]
    for part in _parts(message, "message/delivery-status"):  # Gmail names it here too
        for block in _fields(part):
            values.extend(str(value) for value in block.get_all("X-Original-Message-ID", []))
    return tuple(dict.fromkeys(value.strip() for value in values if value.strip()))


def _addresses(envelope_recipient: str, message: Message, original: Message) -> tuple[str, ...]:
    values = [envelope_recipient]
    for name in ADDRESS_HEADERS:
        values.extend(str(value) for value in message.get_all(name, []))
    values.extend(str(value) for value in original.get_all("Return-Path", []))
    for part in _parts(message, "message/feedback-report"):
        for block in _fields(part):
            values.extend(str(value) for value in block.get_all("Original-Mail-From", []))
    found: list[str] = []
    for _name, address in getaddresses([value for value in values if value]):
        if address and address not in found:
            found.append(address)
    return tuple(found)
