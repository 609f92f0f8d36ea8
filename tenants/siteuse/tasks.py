"""The nightly forgetting of old salts (fanned out per neighbourhood by the beat schedule)."""

from __future__ import annotations

from tijdvoorelkaar.celery import app
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .services import forget_old_salts as forget_old_salts_service


@app.task(name="siteuse.forget_old_salts", time_limit=120, soft_time_limit=100)
def forget_old_salts() -> int:
    return forget_old_salts_service(start_month=current_neighbourhood().reporting_year_start_month)
