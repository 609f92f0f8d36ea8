"""The daily "did it work out?" question (fanned out per neighbourhood by the beat schedule)."""

from __future__ import annotations

from tijdvoorelkaar.celery import app

from .services.outcomes import ask_outcomes as ask_outcomes_service


@app.task(name="responding.ask_outcomes", time_limit=300, soft_time_limit=240)
def ask_outcomes() -> int:
    return ask_outcomes_service()
