"""A reward of many volunteers as one background job whose progress a page shows.

The job is one call of `reward_participants`: one transfer, all or nothing. Its state lives
in the cache under an unguessable id (queued, running, done, failed); the transfer it makes
carries the id as its idempotency key, so a redelivered task makes no second transfer and
the page still finds the result when the cache has forgotten the job.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.jobs import enqueue_on_commit

from .models import Transfer
from .services import (
    MAX_RECIPIENTS,
    check_amount,
    check_member_reward,
    credits_settings,
    reward_participants,
)

logger = logging.getLogger(__name__)
JOB_LIFETIME = 24 * 3600
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def _key(job_id: str) -> str:
    return f"credit-reward:{connection.schema_name}:{job_id}"


def _idempotency_key(job_id: str) -> str:
    return f"reward-job-{job_id}"


def _save(job_id: str, **state: Any) -> None:
    cache.set(_key(job_id), state, JOB_LIFETIME)


def start_reward(
    *,
    recipients: Sequence[Participant],
    amount_each: Decimal,
    by: Any,
    description: str,
    organisation: Organisation | None = None,
    member: Participant | None = None,
    submission_key: str | None = None,
) -> str:
    """Check what can be checked at once (so the form answers straight away), then queue the
    reward as one job. Returns the job's id. `member`: an organisation's member rewarding on
    its behalf (signed in by a link, `by` may be anonymous). `submission_key`: the form's
    one-time key; the same key again (a double click, a resent form) returns the same job
    and queues nothing, and its transfer's idempotency key would refuse a second one anyway."""
    credits_settings()
    amount_each = check_amount(amount_each, field="amount_each")
    if not recipients:
        raise ValidationError({"recipients": _("Choose at least one person.")})
    if len(recipients) > MAX_RECIPIENTS:
        raise ValidationError(
            {"recipients": _("At most %(max)s people at once.") % {"max": MAX_RECIPIENTS}}
        )
    if not (description or "").strip():
        raise ValidationError({"description": _("Say in a few words what this is for.")})
    if member is not None:
        check_member_reward(member, organisation, recipients)
    if submission_key:
        job_id = hashlib.sha256(f"reward-submission:{submission_key}".encode()).hexdigest()[:32]
        if (
            cache.get(_key(job_id)) is not None
            or Transfer.objects.filter(idempotency_key=_idempotency_key(job_id)).exists()
        ):
            return job_id
    else:
        job_id = uuid.uuid4().hex
    _save(job_id, status=QUEUED, progress=0, step=gettext_noop("Waiting for a worker…"))
    enqueue_on_commit(
        "credits.run_reward_job",
        job_id,
        [participant.pk for participant in recipients],
        str(amount_each),
        description,
        organisation.pk if organisation else None,
        by.pk if getattr(by, "is_authenticated", False) else None,
        member.pk if member else None,
    )
    return job_id


def run_reward_job(
    job_id: str,
    recipient_ids: list[int],
    amount_each: str,
    description: str,
    organisation_id: int | None,
    user_id: int | None,
    member_id: int | None = None,
) -> None:
    """The worker's side: the reward, as one transfer; the state says how it ended."""
    _save(job_id, status=RUNNING, progress=10, step=gettext_noop("Opening accounts"))
    found = Participant.objects.in_bulk([*recipient_ids, *([member_id] if member_id else [])])
    try:
        recipients = [found[pk] for pk in recipient_ids]
        member = found[member_id] if member_id else None
    except KeyError:
        _save(job_id, status=FAILED, progress=100, error=_("Someone in the list no longer exists."))
        return
    _save(job_id, status=RUNNING, progress=40, step=gettext_noop("Writing the transfer"))
    try:
        transfer = reward_participants(
            recipients=recipients,
            amount_each=Decimal(amount_each),
            by=get_user_model().objects.get(pk=user_id) if user_id else None,
            description=description,
            organisation=Organisation.objects.get(pk=organisation_id) if organisation_id else None,
            idempotency_key=_idempotency_key(job_id),
            member=member,
        )
    except ValidationError as error:
        _save(job_id, status=FAILED, progress=100, error=" ".join(error.messages))
    except Exception as error:  # noqa: BLE001 - any failure ends the job; nothing was written
        logger.error("Reward job %s failed: %s", job_id, type(error).__name__)
        _save(
            job_id,
            status=FAILED,
            progress=100,
            error=_("The reward failed; nobody received anything. Try again."),
        )
    else:
        _save(job_id, status=DONE, progress=100, transfer=transfer.pk, count=len(recipients))


def job_state(job_id: str) -> dict[str, Any] | None:
    """The job's state, or None for an unknown job. A forgotten job that made its transfer
    is done."""
    state = cache.get(_key(job_id))
    if state is None:
        transfer = Transfer.objects.filter(idempotency_key=_idempotency_key(job_id)).first()
        if transfer is None:
            return None
        state = {
            "status": DONE,
            "progress": 100,
            "transfer": transfer.pk,
            "count": transfer.movements.count() - 1,
        }
    return state
