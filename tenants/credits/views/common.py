from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tijdvoorelkaar.jobs import progress_poll

from ..models import Transfer
from ..rewards import job_state
from ..switch import CreditsOnRequired as CreditsOn  # one switch for every credits page

__all__ = ["CreditsOn", "new_key", "reward_job_page"]


def new_key() -> str:
    """A fresh idempotency key for a form: a double click submits it twice, one transfer."""
    return uuid.uuid4().hex


def reward_job_page(request: HttpRequest, job: str, **context: Any) -> HttpResponse:
    """A reward's progress (the broker's or an organisation member's); the page polls its own
    URL with htmx for the progress part."""
    state = job_state(job)
    if state is None:
        raise Http404
    transfer = state.get("transfer")
    context |= {
        "job": job,
        "state": state,
        "amount": Transfer.objects.filter(pk=transfer).first() if transfer else None,
    }
    context |= progress_poll(request, state["status"], state.get("step"))
    template = "credits/_reward_progress.html" if request.htmx else "credits/reward_job.html"
    return render(request, template, context)
