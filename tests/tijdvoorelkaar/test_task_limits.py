"""Every task and beat entry passes Celery's own checks, so no periodic job silently stops.

Celery refuses to queue a task whose soft time limit exceeds its hard one
(`Task.apply_async` raises ValueError), and the default soft limit comes from the settings. A
task that sets only `time_limit` below `CELERY_TASK_SOFT_TIME_LIMIT` therefore can never be
queued: beat logs a SchedulingError and moves on. The eager tests never queue through beat, so
this is checked here on the registered tasks themselves.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tijdvoorelkaar.celery import app

OUR_PREFIXES = (
    "platform.",
    "neighbourhoods.",
    "outbox.",
    "audit.",
    "market.",
    "responding.",
    "mediations.",
    "credits.",
    "mailings.",
    "outreach.",
    "statistics.",
    "operations.",
    "surveys.",
    "siteuse.",
    "accounts.",
)


def our_tasks():
    app.loader.import_default_modules()
    # "tests." tasks are defined by tests themselves (a task that fails on purpose).
    return {
        name: task for name, task in app.tasks.items() if not name.startswith(("celery.", "tests."))
    }


def test_every_task_of_ours_is_registered_under_an_app_prefix():
    names = sorted(our_tasks())
    assert names, "no tasks registered"
    assert [name for name in names if not name.startswith(OUR_PREFIXES)] == []


@pytest.mark.parametrize("name", sorted(our_tasks()))
def test_task_sets_both_limits_with_the_soft_one_first(name):
    task = app.tasks[name]
    assert task.time_limit and task.soft_time_limit
    assert task.soft_time_limit < task.time_limit


@pytest.mark.parametrize("entry_name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_beat_entry_names_registered_tasks(entry_name):
    entry = settings.CELERY_BEAT_SCHEDULE[entry_name]
    tasks = our_tasks()
    assert entry["task"] in tasks
    if entry["task"] == "platform.fan_out":
        (fanned,) = entry["args"]
        assert fanned in tasks, f"{entry_name} fans out an unknown task {fanned}"


def test_a_killed_workers_task_comes_back_only_after_the_longest_task_could_have_ended():
    # Redis hands an unacknowledged task to another worker after the visibility timeout: any
    # shorter than a task's hard limit and a slow task runs twice.
    longest = max(task.time_limit for task in our_tasks().values())
    assert longest < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 900


def test_the_outbox_sweeper_never_hands_out_a_message_that_is_still_being_sent():
    send_limit = app.tasks["outbox.send_message"].time_limit
    assert send_limit < settings.OUTBOX_STUCK_AFTER_SECONDS <= 2 * send_limit
    assert settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]["schedule"] <= 60
