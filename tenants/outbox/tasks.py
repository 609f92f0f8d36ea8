from __future__ import annotations

from celery import Task

from tijdvoorelkaar.celery import app

from .services import DeliveryFailed, deliver_message, sweep_outbox


@app.task(name="outbox.send_message", bind=True, max_retries=8, time_limit=60, soft_time_limit=45)
def send_outbox_message(self: Task, message_id: int) -> bool:
    try:
        return deliver_message(message_id)
    except DeliveryFailed as error:
        raise self.retry(countdown=30 * 2**self.request.retries) from error


@app.task(name="outbox.sweep", time_limit=120)
def sweep() -> int:
    return sweep_outbox()
