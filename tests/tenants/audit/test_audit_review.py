"""The audit log as the admin reviews it: the weekly summary mail and the filtered page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from tenants.audit.actions import OUTBOX_VIEWED, PARTICIPANT_VIEWED, is_sensitive_read
from tenants.audit.models import AuditEvent
from tenants.audit.selectors import previous_week, week_bounds
from tenants.audit.services import record_audit_event
from tenants.outbox.models import OutboxMessage
from tenants.siteadmin import tasks
from tenants.siteadmin.services import send_weekly_summary
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.celery import app

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 07:00 in Amsterdam: the summary covers week 47 (16-22 November).
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.datetime(2026, 11, 23, 7, 0, tzinfo=AMSTERDAM)
WEEK = "2026-W47"
IN_WEEK = dt.datetime(2026, 11, 18, 10, 0, tzinfo=AMSTERDAM)
BEFORE_WEEK = dt.datetime(2026, 11, 15, 23, 30, tzinfo=AMSTERDAM)


def _event(actor, action: str, at: dt.datetime) -> AuditEvent:  # type: ignore[no-untyped-def]
    event = record_audit_event(actor=actor, action=action, target=actor)
    AuditEvent.objects.filter(pk=event.pk).update(at=at)
    return event


def test_sensitive_reads_follow_one_documented_rule() -> None:
    assert is_sensitive_read(PARTICIPANT_VIEWED) and is_sensitive_read("referral.exported")
    assert is_sensitive_read("whatever_new.viewed")  # new apps are counted without a change
    assert not is_sensitive_read("participant.registered")
    assert not is_sensitive_read("twofactor.code_failed")


def test_the_week_is_the_iso_week_before_in_local_time() -> None:
    assert previous_week(MONDAY) == WEEK
    start, end = week_bounds(WEEK)
    assert timezone.localtime(start).isoformat() == "2026-11-16T00:00:00+01:00"
    assert end - start == dt.timedelta(days=7)
    with pytest.raises(ValueError):
        week_bounds("2026-11")


def test_the_admins_get_a_summary_per_staff_member_of_last_week(cast) -> None:
    place = cast.a
    with tenant_context(place.neighbourhood):
        second_admin = User.objects.create_user(
            "tweede-beheer@wijk-a.test", "x" * 12, role=Role.ADMIN, full_name="Tweede"
        )
        User.objects.create_user("oud@wijk-a.test", "x" * 12, role=Role.ADMIN, is_active=False)
        broker, admin = place.broker.user, place.admin.user
        for _read in range(3):
            _event(broker, PARTICIPANT_VIEWED, IN_WEEK)
        _event(broker, "participant.registered", IN_WEEK)
        _event(broker, "twofactor.code_failed", IN_WEEK)
        _event(admin, OUTBOX_VIEWED, IN_WEEK)
        _event(broker, PARTICIPANT_VIEWED, BEFORE_WEEK)  # the week before: not counted

        assert send_weekly_summary(now=MONDAY) == 2  # the two active admins
        mails = list(OutboxMessage.objects.filter(purpose=f"audit-summary {WEEK}"))
        assert sorted(m.to for m in mails) == sorted([admin.email, second_admin.email])
        body = mails[0].body
        assert f"{broker.email}: 3 " in body and f"{admin.email}: 1 " in body
        with translation.override(place.neighbourhood.default_language):
            security = translation.ngettext(
                "%(count)s security event", "%(count)s security events", 1
            ) % {"count": 1}
            assert security in body
        assert f"/manage/audit/?week={WEEK}" in body
        assert f"/manage/audit/?week={WEEK}&action=reads" in body
        assert body.index(broker.email) < body.index(admin.email)  # most reads first
        # Safe to run twice (a redelivered task): nobody gets it again.
        assert send_weekly_summary(now=MONDAY) == 0


def test_a_quiet_week_is_reported_as_such(cast) -> None:
    place = cast.b
    with tenant_context(place.neighbourhood):
        assert send_weekly_summary(now=MONDAY) == 1
        body = OutboxMessage.objects.get(purpose=f"audit-summary {WEEK}").body
        with translation.override(place.neighbourhood.default_language):
            assert (
                translation.gettext("Nobody read personal data of participants this week.") in body
            )
            assert translation.gettext("Nothing else was recorded either.") in body


def test_the_summary_runs_every_monday_morning_in_every_neighbourhood(cast) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["audit-weekly-summary"]
    assert entry["task"] == "platform.fan_out" and entry["args"] == ("audit.send_weekly_summary",)
    assert entry["schedule"] == crontab(minute="0", hour="7", day_of_week="monday")
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"
    assert app.tasks["audit.send_weekly_summary"].name == tasks.send_weekly_summary.name
    with tenant_context(cast.b.neighbourhood):
        assert tasks.send_weekly_summary() == 1  # last week, from now


# --- The audit page ----------------------------------------------------------------------


def _fill(place, count: int) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        for n in range(count):
            _event(place.broker.user, PARTICIPANT_VIEWED, IN_WEEK)
            _event(
                place.admin.user, "account.role_changed" if n % 2 else OUTBOX_VIEWED, BEFORE_WEEK
            )


def _rows(html: str) -> int:
    return html.count("<tr><td>")


def test_the_admin_filters_the_log_by_person_kind_action_and_week(cast) -> None:
    _fill(cast.a, 3)
    client = cast.a.client(cast.a.admin)
    broker_id = cast.a.broker.user.pk
    by_broker = client.get("/manage/audit/", {"actor": broker_id, "week": WEEK}).content.decode()
    assert _rows(by_broker) == 3
    reads = client.get("/manage/audit/", {"action": "reads"}).content.decode()
    assert _rows(reads) == 3 + 2  # the broker's reads and the admin's outbox reads
    both = client.get("/manage/audit/", {"actor": broker_id}).content.decode()
    assert _rows(both) == 3 + 1  # and their account's activation, when the cast was made
    changes = client.get("/manage/audit/", {"action": "account.role_changed"}).content.decode()
    listed = changes.split("<tbody>")[1]
    assert _rows(changes) >= 1 and "Rol gewijzigd" in listed and "Verzonden mail" not in listed
    week = client.get("/manage/audit/", {"week": WEEK}).content.decode()
    assert _rows(week) == 3
    bad = client.get("/manage/audit/", {"week": "week 47"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()


def test_the_log_pages_keep_their_filters(cast) -> None:
    _fill(cast.a, 60)
    html = cast.a.client(cast.a.admin).get("/manage/audit/", {"action": "reads"}).content.decode()
    assert _rows(html) == 50
    assert 'href="?action=reads&amp;page=2"' in html


def test_the_log_costs_the_same_number_of_queries_for_few_and_many_entries(
    cast, django_assert_max_num_queries
) -> None:
    client = cast.a.client(cast.a.admin)
    _fill(cast.a, 2)
    client.get("/manage/audit/")  # warm the host lookup
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/manage/audit/", {"week": WEEK, "action": "reads"}).status_code == 200
    _fill(cast.a, 80)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/manage/audit/", {"week": WEEK, "action": "reads"}).status_code == 200


def test_only_the_admin_sees_the_log_and_only_their_own(cast) -> None:
    _fill(cast.a, 1)
    assert cast.a.client(cast.a.broker).get("/manage/audit/").status_code == 403
    assert cast.a.client(cast.a.resident).get("/manage/audit/").status_code == 403
    other = cast.b.client(cast.b.admin).get("/manage/audit/", {"week": WEEK}).content.decode()
    assert _rows(other) == 0
