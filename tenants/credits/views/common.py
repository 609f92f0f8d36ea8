from __future__ import annotations

import uuid

from ..switch import CreditsOnRequired as CreditsOn  # one switch for every credits page

__all__ = ["CreditsOn", "new_key"]


def new_key() -> str:
    """A fresh idempotency key for a form: a double click submits it twice, one transfer."""
    return uuid.uuid4().hex
