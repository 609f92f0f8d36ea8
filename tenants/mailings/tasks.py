from __future__ import annotations

from tijdvoorelkaar.celery import app

from .bounces import read_bounce_maildir
from .services import run_schedule, write_recipients


@app.task(name="mailings.write_recipients", time_limit=300, soft_time_limit=280)
def write_newsletter_recipients(newsletter_id: int) -> int:
    """One outbox message per subscriber, a thousand per transaction; the outbox sends."""
    return write_recipients(newsletter_id)


@app.task(name="mailings.run_schedule", time_limit=120, soft_time_limit=100)
def run_newsletter_schedule() -> dict[str, int]:
    """Scheduled issues that are due go out, sent ones are finished, next month's draft."""
    return run_schedule()


@app.task(name="mailings.read_bounce_mailbox", time_limit=300, soft_time_limit=270)
def read_bounce_mailbox() -> int:
    """New bounce mail in MAIL_BOUNCES_MAILDIR, each in its neighbourhood (runs in public)."""
    return read_bounce_maildir()
