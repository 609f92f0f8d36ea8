"""Backup and restore jobs whose task was lost or delivered twice: the sweeper queues a lost
one again, only one delivery does the work, and a job whose worker died ends as interrupted
instead of showing "running" for ever. The work itself is replaced by a counter here: real
dumps and restores are test_restore_drill.py's and test_restore_console.py's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tijdvoorelkaar.operations import jobs
from tijdvoorelkaar.operations.models import OperationJob

pytestmark = pytest.mark.django_db

Status = OperationJob.Status


@pytest.fixture
def work_done(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    done: list[str] = []

    def do(job: OperationJob) -> str:
        done.append(str(job.pk))
        return "20261206-023000-000000"

    monkeypatch.setattr(jobs, "_do", do)
    OperationJob.objects.all().delete()  # committed by browser tests; rolled back here
    return done


def _job(  # type: ignore[no-untyped-def]
    status: str, *, created_ago: timedelta, started_ago: timedelta | None = None, language=""
):
    now = timezone.now()
    job = OperationJob.objects.create(
        kind=OperationJob.Kind.BACKUP, request={"slug": "wijk-a"}, language=language
    )
    OperationJob.objects.filter(pk=job.pk).update(
        status=status,
        created_at=now - created_ago,
        started_at=None if started_ago is None else now - started_ago,
    )
    job.refresh_from_db()
    return job


def test_two_deliveries_of_one_job_do_the_work_once(work_done) -> None:
    job = _job(Status.QUEUED, created_ago=timedelta(minutes=5))
    assert jobs.run_job(str(job.pk)).status == Status.DONE
    assert jobs.run_job(str(job.pk)).status == Status.DONE
    assert work_done == [str(job.pk)]
    job.refresh_from_db()
    assert job.started_at is not None and job.result == "20261206-023000-000000"


def test_a_delivery_while_another_worker_is_at_it_leaves_the_job_alone(work_done) -> None:
    job = _job(Status.RUNNING, created_ago=timedelta(minutes=30), started_ago=timedelta(minutes=1))
    assert jobs.run_job(str(job.pk)).status == Status.RUNNING
    assert work_done == []


@pytest.mark.parametrize(
    ("asked_in", "says"), [("en", "interrupted"), ("nl", "onderbroken"), ("", "onderbroken")]
)
def test_a_redelivery_after_the_time_limit_ends_the_job_as_interrupted(
    work_done, asked_in: str, says: str
) -> None:
    job = _job(
        Status.RUNNING,
        created_ago=timedelta(minutes=30),
        started_ago=timedelta(minutes=11),
        language=asked_in,
    )
    # In the language of whoever asked, whatever the worker's: an older job without one in
    # the site's default (Dutch).
    with translation.override("en" if asked_in != "en" else "nl"):
        ended = jobs.run_job(str(job.pk))
    assert ended.status == Status.FAILED and says in ended.error
    assert ended.finished_at is not None and work_done == []


def test_the_sweeper_queues_lost_jobs_again_and_ends_dead_ones(
    work_done, django_capture_on_commit_callbacks
) -> None:
    lost = _job(Status.QUEUED, created_ago=timedelta(minutes=5))
    just_queued = _job(Status.QUEUED, created_ago=timedelta(seconds=30))
    busy = _job(Status.RUNNING, created_ago=timedelta(minutes=40), started_ago=timedelta(minutes=5))
    dead = _job(Status.RUNNING, created_ago=timedelta(hours=1), started_ago=timedelta(minutes=25))

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_jobs() == 2

    assert work_done == [str(lost.pk)]  # queued again, and the eager worker ran it
    statuses = dict(OperationJob.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: Status.DONE,
        just_queued.pk: Status.QUEUED,
        busy.pk: Status.RUNNING,
        dead.pk: Status.FAILED,
    }
