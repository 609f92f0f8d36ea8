from __future__ import annotations

from celery import Task

from tijdvoorelkaar.celery import app

from .services import DeliveryFailed, deliver_message, retry_delay, sweep_outbox


@app.task(
    name="outbox.send_message", bind=True, max_retries=None, time_limit=60, soft_time_limit=45
)
def send_outbox_message(self: Task, message_id: int) -> bool:
    """Deliver one message; the outbox row, not Celery, counts attempts and decides to stop."""
    try:
        return deliver_message(message_id)
    except DeliveryFailed as error:
        delay = retry_delay(error.attempts).total_seconds()
        raise self.retry(countdown=delay) from error


@app.task(name="outbox.sweep", time_limit=120, soft_time_limit=100)
def sweep() -> int:
    return sweep_outbox()
