"""The digest jobs: beat queues them per neighbourhood (weekly on Monday, monthly on the 1st)."""

from __future__ import annotations

from tijdvoorelkaar.celery import app

from .digest import send_digests
from .models import Frequency


@app.task(
    name="outreach.send_weekly_digests", ignore_result=True, time_limit=300, soft_time_limit=280
)
def send_weekly_digests() -> int:
    return send_digests(frequency=Frequency.WEEKLY)


@app.task(
    name="outreach.send_monthly_digests", ignore_result=True, time_limit=300, soft_time_limit=280
)
def send_monthly_digests() -> int:
    return send_digests(frequency=Frequency.MONTHLY)
