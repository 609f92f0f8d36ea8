from __future__ import annotations

from tijdvoorelkaar.celery import app

from .services import deliver_batch, deliver_message, sweep_outbox


@app.task(name="outbox.send_message", time_limit=60, soft_time_limit=45)
def send_outbox_message(message_id: int) -> bool:
    """Deliver one message. A failed attempt is not retried by Celery: the row records when
    to try again, and the sweeper queues it then (see services.py)."""
    return deliver_message(message_id)


@app.task(name="outbox.send_batch", time_limit=60, soft_time_limit=45)
def send_batch(batch_id: int) -> int:
    """One lane of a batch (a newsletter): sends for OUTBOX_LANE_SECONDS, then queues itself
    again while messages are due. Lost lanes are woken again by the sweep."""
    return deliver_batch(batch_id)


@app.task(name="outbox.sweep", time_limit=120, soft_time_limit=100)
def sweep() -> int:
    return sweep_outbox()
