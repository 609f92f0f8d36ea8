"""Reading the mail a test caused: what was queued to whom, and the links in it."""

from __future__ import annotations

import re

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
