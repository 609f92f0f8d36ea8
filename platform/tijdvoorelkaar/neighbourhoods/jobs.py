"""Provisioning as a background job whose progress a page or the API can show."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from tijdvoorelkaar.jobs import enqueue_on_commit

from .bulk import validate_batch
from .models import Neighbourhood, ProvisioningJob
from .selectors import platform_cache
from .services import NeighbourhoodSpec, provision_neighbourhood, validate_spec
from .spares import spares_for

_PROGRESS_KEY = "provisioning-job:{}"
logger = logging.getLogger(__name__)


def start_provisioning(*, spec: NeighbourhoodSpec, requested_by: Any) -> ProvisioningJob:
    """Validate now (so a form or API call can answer at once), then provision in the background."""
    validate_spec(spec)
    if taken := _taken_by_waiting_jobs([spec]).get(spec.slug):
        raise ValidationError(taken)
    with transaction.atomic():
        job = ProvisioningJob.objects.create(
            request=spec.as_dict(), requested_by=requested_by, language=get_language()
        )
        enqueue_on_commit("neighbourhoods.run_provisioning_job", str(job.pk))
    return job


def start_bulk_provisioning(
    *, specs: list[NeighbourhoodSpec], requested_by: Any
) -> list[ProvisioningJob]:
    """Validate the whole batch now, then provision it in one background task: the spares it
    needs are built first, then each job runs (a failed one does not stop the others)."""
    validate_batch(specs)
    if taken := _taken_by_waiting_jobs(specs):
        raise ValidationError(
            {
                slug: [f"{field}: {' '.join(messages)}" for field, messages in fields.items()]
                for slug, fields in taken.items()
            }
        )
    with transaction.atomic():
        jobs = [
            ProvisioningJob.objects.create(
                request=spec.as_dict(), requested_by=requested_by, language=get_language()
            )
            for spec in specs
        ]
        enqueue_on_commit("neighbourhoods.run_provisioning_batch", [str(job.pk) for job in jobs])
    return jobs


def _taken_by_waiting_jobs(specs: list[NeighbourhoodSpec]) -> dict[str, dict[str, list[str]]]:
    """Per slug, the fields another job still queued or running will take (its slug, its
    domains): refused now, rather than accepted and failed when that job has made them."""
    waiting = ProvisioningJob.objects.filter(
        status__in=[ProvisioningJob.Status.QUEUED, ProvisioningJob.Status.RUNNING]
    ).values_list("request__slug", "request__domains")
    slugs = {slug for slug, _domains in waiting}
    domains = {domain for _slug, listed in waiting for domain in listed or []}
    taken: dict[str, dict[str, list[str]]] = {}
    for spec in specs:
        fields = taken.setdefault(spec.slug, {})
        if spec.slug in slugs:
            fields["slug"] = [_("Another job is already making a neighbourhood with this slug.")]
        if held := sorted(set(spec.domains) & domains):
            fields["domains"] = [
                _("Another job is already making a neighbourhood on: %(domains)s.")
                % {"domains": ", ".join(held)}
            ]
        if not fields:
            del taken[spec.slug]
    return taken


WAITING_IN_BATCH = gettext_noop("Waiting for its turn in the batch")


def run_batch(job_ids: list[str]) -> list[ProvisioningJob]:
    """Run a batch's jobs in order, from spares built for them first. The jobs show as running
    meanwhile, so the sweeper leaves them to this task (it re-queues running jobs only after
    10 minutes, beyond the task's time limit); `run_job` finishes a running job as usual."""
    waiting = ProvisioningJob.objects.filter(pk__in=job_ids, status=ProvisioningJob.Status.QUEUED)
    waiting.update(status=ProvisioningJob.Status.RUNNING, step=WAITING_IN_BATCH, progress=1)
    with spares_for(len(job_ids)):
        return [run_job(job_id) for job_id in job_ids]


def run_job(job_id: str) -> ProvisioningJob:
    job = ProvisioningJob.objects.get(pk=job_id)
    with job.in_its_language():
        return _run(job)


def _run(job: ProvisioningJob) -> ProvisioningJob:
    if job.status in (ProvisioningJob.Status.DONE, ProvisioningJob.Status.FAILED):
        return job  # a redelivered task: the job already ended
    created = Neighbourhood.objects.filter(slug=job.request["slug"]).first()
    if _died_after_provisioning(job, created):
        _mark_done(job, created)
        return job
    _save(job, status=ProvisioningJob.Status.RUNNING, step=gettext_noop("Starting"), progress=1)

    try:
        neighbourhood = provision_neighbourhood(
            spec=NeighbourhoodSpec(**job.request), progress=partial(report_progress, job.pk)
        )
    except ValidationError as error:
        _save(job, status=ProvisioningJob.Status.FAILED, error="; ".join(error.messages))
    except Exception as error:  # noqa: BLE001 - any failure ends the job as failed
        _save(
            job,
            status=ProvisioningJob.Status.FAILED,
            error=_("Provisioning failed (%(kind)s); nothing was created.")
            % {"kind": type(error).__name__},
        )
        # Only the class: a database error's message may quote the values it refused.
        logger.error("Provisioning job %s failed: %s", job.pk, type(error).__name__)
    else:
        _mark_done(job, neighbourhood)
    finally:
        forget_progress(job.pk)
    return job


def _died_after_provisioning(job: ProvisioningJob, created: Neighbourhood | None) -> bool:
    """Whether the job's worker died after provisioning committed but before the job was
    marked done. Not so for a batch's job still waiting for its turn, nor when another job
    made the neighbourhood of that slug (a second batch or request for the same slug): that
    job must fail, not claim someone else's neighbourhood as done."""
    return (
        job.status == ProvisioningJob.Status.RUNNING
        and job.step != WAITING_IN_BATCH
        and created is not None
        and not ProvisioningJob.objects.filter(neighbourhood=created).exists()
    )


def _mark_done(job: ProvisioningJob, neighbourhood: Neighbourhood) -> None:
    _save(
        job,
        status=ProvisioningJob.Status.DONE,
        step=gettext_noop("Done"),
        progress=100,
        neighbourhood=neighbourhood,
    )


def _save(job: ProvisioningJob, **fields: Any) -> None:
    if fields.get("status") in (ProvisioningJob.Status.DONE, ProvisioningJob.Status.FAILED):
        # Keep no personal data in the public schema once the job has ended.
        fields["request"] = {**job.request, "admin_email": "", "admin_name": ""}
    job.record(**fields)


def report_progress(job_id: Any, percent: int, step: str) -> None:
    """The live step of a running job (any job with a UUID and the `status`, `progress`,
    `step`, `error` fields: provisioning, and operations' backups and restores)."""
    platform_cache().set(_PROGRESS_KEY.format(job_id), {"progress": percent, "step": step}, 3600)


def forget_progress(job_id: Any) -> None:
    platform_cache().delete(_PROGRESS_KEY.format(job_id))


def job_progress(job: Any) -> dict[str, Any]:
    """The live step while running, else what the row says."""
    live = platform_cache().get(_PROGRESS_KEY.format(job.pk)) if job.status == "running" else None
    progress = live or {"progress": job.progress, "step": job.step}
    return {"status": job.status, "error": job.error, **progress}


def sweep_jobs() -> int:
    """Queue again the jobs whose task was lost (never picked up, or its worker died);
    `run_job` is safe to run twice. Returns how many were queued."""
    now = timezone.now()
    lost = ProvisioningJob.objects.filter(
        Q(status=ProvisioningJob.Status.QUEUED, created_at__lt=now - timedelta(minutes=2))
        | Q(status=ProvisioningJob.Status.RUNNING, created_at__lt=now - timedelta(minutes=10))
    ).values_list("pk", flat=True)
    with transaction.atomic():
        for job_id in lost:
            enqueue_on_commit("neighbourhoods.run_provisioning_job", str(job_id))
    return len(lost)
