"""Periodic work of the marketplace, fanned out per neighbourhood by `platform.fan_out`."""

from __future__ import annotations

from tijdvoorelkaar.celery import app

from .services.ads import expire_ads as _expire_ads
from .services.links import send_renewal_reminders as _send_renewal_reminders


@app.task(name="market.expire_ads", time_limit=120, soft_time_limit=100)
def expire_ads() -> int:
    """Hourly: published ads past their end go off the site."""
    return _expire_ads()


@app.task(name="market.send_renewal_reminders", time_limit=300, soft_time_limit=240)
def send_renewal_reminders() -> int:
    """Daily: a week before an ad ends, its owner gets a link to renew it."""
    return _send_renewal_reminders()


@app.task(name="market.warm_list", time_limit=60, soft_time_limit=50)
def warm_list() -> int:
    """After a change to what the lists show: the list's first page rendered into the cache
    again (queued by `bump_list_version`)."""
    from .views.warming import warm_list_cache  # views load templates and forms: only here

    return warm_list_cache()
