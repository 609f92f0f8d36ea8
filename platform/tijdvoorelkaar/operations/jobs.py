"""An operator's backup or restore as a background job whose progress a page or the API can
show (the same pattern as provisioning: a row, the live step in the platform cache)."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from tijdvoorelkaar.jobs import enqueue_on_commit
from tijdvoorelkaar.neighbourhoods.jobs import forget_progress, report_progress
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .backups import Backup, BackupError, backup_neighbourhood, read_backup
from .models import OperationJob
from .restoring import plan_restore, restore_neighbourhood
from .selectors import dump_of

SECURITY_LOG = logging.getLogger("tijdvoorelkaar.security")  # operators' actions, ids only
logger = logging.getLogger(__name__)


def start_backup(*, neighbourhood: Neighbourhood, requested_by: Any) -> OperationJob:
    """Back up `neighbourhood` in the background; returns the job."""
    return _start(OperationJob.Kind.BACKUP, {"slug": neighbourhood.slug}, requested_by)


def start_restore(
    *,
    source: str,
    key: str,
    slug: str | None,
    domains: list[str] | None,
    replace: bool,
    requested_by: Any,
) -> OperationJob:
    """Check now (so a form or API call can answer at once) that backup `key` of `source`
    exists, can be read and can be restored as asked (see `plan_restore`), then restore it
    in the background; returns the job."""
    backup = _backup(source, key)
    plan = plan_restore(backup=backup, slug=slug or None, domains=domains, replace=replace)
    request = {
        "source": source,
        "backup": key,
        "slug": plan.slug,
        "domains": domains,
        "replace": replace,
    }
    return _start(OperationJob.Kind.RESTORE, request, requested_by)


def _backup(source: str, key: str) -> Backup:
    dump = dump_of(source, key)
    if dump is None:
        raise ValidationError(
            {"backup": [_("There is no such backup of %(slug)s.") % {"slug": source}]}
        )
    try:
        return read_backup(dump.path)
    except BackupError as error:
        raise ValidationError({"backup": [str(error)]}) from error


def _start(kind: str, request: dict[str, Any], requested_by: Any) -> OperationJob:
    with transaction.atomic():
        job = OperationJob.objects.create(
            kind=kind, request=request, requested_by=requested_by, language=get_language()
        )
        enqueue_on_commit("operations.run_job", str(job.pk))
    SECURITY_LOG.info(
        "operations.%s_requested job=%s operator=%s slug=%s",
        kind,
        job.pk,
        getattr(requested_by, "pk", None),
        request.get("slug", ""),
    )
    return job


# The task's hard time limit (operations.run_job): a job running longer has lost its worker.
RUNNING_AT_MOST = timedelta(seconds=570)
# A queued job's task not picked up by then was lost (a flushed or restarted Redis).
QUEUED_AT_MOST = timedelta(minutes=2)
INTERRUPTED = gettext_noop("The job was interrupted; start it again.")


def run_job(job_id: str) -> OperationJob:
    """Do the backup or restore `job_id` asks for; safe to run twice (a redelivered task, or
    the sweeper's): only the delivery that moves it from queued to running does the work."""
    job = OperationJob.objects.select_related("requested_by").get(pk=job_id)
    with job.in_its_language():
        return _run(job)


def _run(job: OperationJob) -> OperationJob:
    if job.has_ended:
        return job
    now = timezone.now()
    if job.status == OperationJob.Status.RUNNING:
        if job.started_at is None or job.started_at < now - RUNNING_AT_MOST:
            job.record(status=job.Status.FAILED, error=_(INTERRUPTED))  # its worker died
        return job  # else another worker is at it
    claimed = OperationJob.objects.filter(pk=job.pk, status=OperationJob.Status.QUEUED).update(
        status=OperationJob.Status.RUNNING,
        step=gettext_noop("Starting"),
        progress=1,
        started_at=now,
    )
    if not claimed:
        job.refresh_from_db()
        return job
    job.refresh_from_db()
    try:
        result = _do(job)
    except (ValidationError, BackupError) as error:
        reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        job.record(status=job.Status.FAILED, error=reason)
    except Exception as error:  # noqa: BLE001 - any failure ends the job as failed
        kind = type(error).__name__
        job.record(
            status=job.Status.FAILED,
            error=_("The job failed (%(kind)s); nothing was changed.") % {"kind": kind},
        )
        logger.error("Operations job %s failed: %s", job.pk, kind)
    else:
        job.record(status=job.Status.DONE, step=gettext_noop("Done"), progress=100, result=result)
    finally:
        forget_progress(job.pk)
    return job


def sweep_jobs() -> int:
    """Queue again the jobs whose task was lost before a worker took it up, and end as failed
    those whose worker died without a redelivery. Returns how many it touched."""
    now = timezone.now()
    lost = list(
        OperationJob.objects.filter(
            status=OperationJob.Status.QUEUED, created_at__lt=now - QUEUED_AT_MOST
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for job_id in lost:
            enqueue_on_commit("operations.run_job", str(job_id))
    # Redis redelivers a dead worker's task after its visibility timeout (600 s); past twice
    # the time limit nothing will come.
    dead = OperationJob.objects.filter(
        status=OperationJob.Status.RUNNING, started_at__lt=now - 2 * RUNNING_AT_MOST
    )
    ended = 0
    for job in dead:
        job.record(status=job.Status.FAILED, error=_(INTERRUPTED))
        forget_progress(job.pk)
        ended += 1
    return len(lost) + ended


def _do(job: OperationJob) -> str:
    request = job.request
    operator = job.requested_by
    if job.kind == OperationJob.Kind.BACKUP:
        neighbourhood = Neighbourhood.objects.filter(slug=request["slug"]).first()
        if neighbourhood is None:
            raise ValidationError(_("The neighbourhood no longer exists."))
        report_progress(job.pk, 20, gettext_noop("Writing the backup"))
        return backup_neighbourhood(neighbourhood=neighbourhood, by=operator, job=str(job.pk)).key
    restored = restore_neighbourhood(
        backup=_backup(request["source"], request["backup"]),
        slug=request["slug"],
        domains=request["domains"],
        replace=request["replace"],
        by=operator,
        job=str(job.pk),
        progress=partial(report_progress, job.pk),
    )
    return restored.slug
