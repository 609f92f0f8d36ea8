from __future__ import annotations

from tijdvoorelkaar.celery import app

from .services import send_weekly_summary as _send_weekly_summary


# Still named for the audit log it summarises: the beat entry and queued messages use it.
@app.task(name="audit.send_weekly_summary", time_limit=120, soft_time_limit=100)
def send_weekly_summary() -> int:
    """Monday morning, per neighbourhood (beat → platform.fan_out): last week's summary."""
    return _send_weekly_summary()
