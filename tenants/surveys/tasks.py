"""The daily survey round (fanned out per neighbourhood by the beat schedule)."""

from __future__ import annotations

from tijdvoorelkaar.celery import app

from .services.invitations import send_surveys as send_surveys_service


@app.task(name="surveys.send_surveys", time_limit=300, soft_time_limit=240)
def send_surveys() -> int:
    return send_surveys_service()
