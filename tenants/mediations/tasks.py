from __future__ import annotations

from tijdvoorelkaar.celery import app

from .services import send_morning_digest as send_digest


@app.task(name="mediations.send_morning_digest", time_limit=60, soft_time_limit=45)
def send_morning_digest() -> int:
    """The brokers' morning digest of the neighbourhood this task runs in (fanned out)."""
    return send_digest()
