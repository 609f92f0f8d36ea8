"""The mail a test caused: what was queued to whom and the links in it, and a real SMTP
server to deliver to (`SmtpSink`, served by the `smtp_sink` fixture)."""

from __future__ import annotations

import email
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tenants.outbox.models import OutboxMessage


def mails_to(address: str, purpose: str = "") -> list[OutboxMessage]:
    found = OutboxMessage.objects.filter(to=address)
    if purpose:
        found = found.filter(purpose=purpose)
    return list(found.order_by("id"))


def link_in(body: str, path_start: str) -> str:
    """The path of the first link in `body` that starts with `path_start`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"[^\s]*)", body)
    assert match, f"no {path_start} link in the mail"
    return match.group(1)


@dataclass
class SmtpSink:
    """A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread of the test process) that keeps
    the Message-ID and the envelope sender of each mail it accepts. With `refuse` set it
    answers DATA with that reply instead (e.g. "451 4.3.0 Try again later"); `on_accept(count)`
    runs after it has stored a mail and before it answers, the moment a sender's crash makes
    a duplicate."""

    port: int
    message_ids: list[str] = field(default_factory=list)
    envelope_senders: dict[str, str] = field(default_factory=dict)  # Message-ID -> MAIL FROM
    refuse: str | None = None
    on_accept: Callable[[int], None] | None = None
    last_peer: Any = None  # the (host, port) of the client whose mail `on_accept` is about
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse
        # unfolded, as a receiver reads it (RFC 5322 2.2.3): a long Message-ID is folded
        message_id = "".join(email.message_from_bytes(envelope.content)["Message-ID"].split())
        with self._lock:
            self.message_ids.append(message_id)
            self.envelope_senders[message_id] = envelope.mail_from
            count = len(self.message_ids)
            self.last_peer = session.peer
        if self.on_accept:
            self.on_accept(count)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
