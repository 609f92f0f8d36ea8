"""Expired sessions leave the database each night, per schema: Django ends a session at its
expiry but keeps the row, so without this job every neighbourhood's sessions table grows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tenants.utils import tenant_context

from tijdvoorelkaar.accounts.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


def _session(key: str, expires_in: timedelta) -> None:
    Session.objects.create(
        session_key=key, session_data="", expire_date=timezone.now() + expires_in
    )


def test_expired_sessions_are_deleted_in_the_schema_the_job_runs_in_only(cast) -> None:
    for place in (cast.a, cast.b):
        with tenant_context(place.neighbourhood):
            _session(f"ended{place.neighbourhood.pk:0>30}", timedelta(seconds=-1))
            _session(f"alive{place.neighbourhood.pk:0>30}", timedelta(hours=1))

    with tenant_context(cast.a.neighbourhood):
        clear_expired_sessions.delay()  # eager here: runs in A's schema
        assert not Session.objects.filter(expire_date__lt=timezone.now()).exists()
        assert Session.objects.filter(session_key__startswith="alive").count() == 1
    with tenant_context(cast.b.neighbourhood):  # B's night has not come yet
        assert Session.objects.filter(session_key__startswith="ended").count() == 1


def test_beat_clears_sessions_nightly_in_every_neighbourhood_and_the_console() -> None:
    entries = settings.CELERY_BEAT_SCHEDULE
    per_neighbourhood = entries["clear-expired-sessions"]
    assert per_neighbourhood["task"] == "platform.fan_out"
    assert per_neighbourhood["args"] == ("accounts.clear_sessions",)
    assert entries["clear-expired-console-sessions"]["task"] == "accounts.clear_sessions"
