from __future__ import annotations

from tijdvoorelkaar.celery import app

from . import expiry, rewards


@app.task(name="credits.run_reward_job", time_limit=300, soft_time_limit=240)
def run_reward_job(
    job_id: str,
    recipient_ids: list[int],
    amount_each: str,
    description: str,
    organisation_id: int | None,
    user_id: int | None,
    member_id: int | None = None,
) -> None:
    """A reward of many volunteers: one transfer, all or nothing (tenants.credits.rewards)."""
    rewards.run_reward_job(
        job_id, recipient_ids, amount_each, description, organisation_id, user_id, member_id
    )


@app.task(name="credits.expire_credits", time_limit=300, soft_time_limit=240)
def expire_credits() -> dict[str, int]:
    """Daily, per neighbourhood (beat → platform.fan_out): warn, then expire unused credits."""
    return expiry.expire_inactive_credits()
