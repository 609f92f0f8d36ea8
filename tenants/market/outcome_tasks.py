"""The daily "did it work out?" question (fanned out per neighbourhood by the beat schedule).

A module of its own beside `tasks.py` (the ads' tasks): Celery's autodiscovery finds only
`tasks.py`, so `MarketConfig.ready()` imports this one."""

from __future__ import annotations

from tijdvoorelkaar.celery import app

from .services.outcomes import ask_outcomes as ask_outcomes_service


@app.task(name="market.ask_outcomes", time_limit=300, soft_time_limit=240)
def ask_outcomes() -> int:
    return ask_outcomes_service()
