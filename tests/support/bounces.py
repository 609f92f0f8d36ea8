"""Bounce mail as mail servers write it (`bounce_samples/`: Postfix, Gmail, Exchange and
Exim delivery reports, a Yahoo complaint, a DMARC failure report, an auto-reply, an old
qmail bounce), filled in for a test's message."""

from __future__ import annotations

from pathlib import Path
from string import Template

SAMPLES = Path(__file__).parent / "bounce_samples"


def bounce_mail(
    name: str,
    *,
    bounce_to: str = "bounces@wijk.example",
    envelope_sender: str = "bounces@wijk.example",
    message_id: str = "<0b7c1f0e-9d7a-4a9e-8f0e-3c2b1a000000@elsewhere.example>",
    recipient: str = "weg@example.org",
) -> bytes:
    """The sample `name` as raw bytes: delivered to `bounce_to`, about a message that went
    out with the envelope sender `envelope_sender` and `message_id` to `recipient`."""
    template = Template((SAMPLES / f"{name}.eml").read_text(encoding="utf-8"))
    return template.substitute(
        bounce_to=bounce_to,
        envelope_sender=envelope_sender,
        message_id=message_id,
        recipient=recipient,
    ).encode()
