"""The brokers' morning digest: fanned out per neighbourhood at 7:00, one short mail per
active broker when something is due, a fixed set of queries per neighbourhood."""

from __future__ import annotations

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.market.models import Report
from tenants.mediations import services
from tenants.mediations.tasks import send_morning_digest
from tenants.outbox.models import OutboxMessage
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import invite_user
from tijdvoorelkaar.neighbourhoods import tasks as platform_tasks

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_the_digest_is_fanned_out_at_seven_once_per_neighbourhood(cast, monkeypatch) -> None:
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e.get("args") == ("mediations.send_morning_digest",)
    )
    assert entry["task"] == "platform.fan_out"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert send_morning_digest.time_limit and send_morning_digest.time_limit <= 120
    three = [cast.a.neighbourhood.schema_name, cast.b.neighbourhood.schema_name, "nb_wijk_c"]
    monkeypatch.setattr("tijdvoorelkaar.neighbourhoods.tasks.active_schema_names", lambda: three)
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        platform_tasks.app,
        "send_task",
        lambda name, headers: sent.append((name, headers["_schema_name"])),
    )
    assert platform_tasks.fan_out("mediations.send_morning_digest") == 3
    assert sent == [("mediations.send_morning_digest", schema) for schema in three]


def _digests(place):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return list(OutboxMessage.objects.filter(purpose="broker_digest").order_by("to", "id"))


def test_each_active_broker_gets_what_is_due(cast, world) -> None:
    today = timezone.localdate()
    with tenant_context(cast.a.neighbourhood):
        invite_user(  # invited, not yet active: no digest
            email="nieuw@wijk-a.test",
            full_name="Nieuw",
            role=Role.BROKER,
            invited_by=cast.a.admin.user,
        )
        User.objects.filter(email="nieuw@wijk-a.test").update(is_active=False)
        overdue = services.start_mediation(
            requester=world.ann, provider=world.bert, active=True, started_on=today - 20 * DAY
        )
        services.start_mediation(
            requester=world.carla,
            organisation=world.school,
            active=True,
            started_on=today - 14 * DAY,
        )
        services.start_mediation(  # not due yet
            requester=world.carla, provider=world.bert, active=True, started_on=today - 3 * DAY
        )
        ad = world.ad(world.ann, "request", "Hulp", "Graag", status="awaiting_approval")
        Report.objects.create(ad=ad, reason="other")
        assert send_morning_digest.apply().get() == 1
    [digest] = _digests(cast.a)
    assert digest.to == cast.a.broker.user.email
    assert (
        "2 " in digest.body and "Ann / Bert" in digest.body and "Carla / Basisschool" in digest.body
    )
    assert f"http://wijk-a.test/broker/mediations/{overdue.pk}/" in digest.body
    assert "Carla / Bert" not in digest.body
    lines = {
        line.split(":")[0]: line.rsplit(" ", 1)[-1]
        for line in digest.body.splitlines()
        if ":" in line
    }
    assert list(lines.values()).count("1") >= 2  # one ad awaiting approval, one open report
    assert _digests(cast.b) == []  # B's brokers hear nothing of A


def test_no_digest_when_nothing_is_due(cast, world) -> None:
    with tenant_context(cast.a.neighbourhood):
        services.start_mediation(requester=world.ann, provider=world.bert, active=True)
        assert services.send_morning_digest() == 0
    assert _digests(cast.a) == []


def test_the_digest_takes_the_same_queries_for_few_and_many(cast, world) -> None:
    today = timezone.localdate()
    counts = []
    with tenant_context(cast.a.neighbourhood):
        for extra in (1, 25):
            for index in range(extra):
                other = world.participant(f"Buur {len(counts)}-{index}")
                services.start_mediation(
                    requester=world.ann, provider=other, active=True, started_on=today - 15 * DAY
                )
            with CaptureQueriesContext(connection) as queries:
                services.send_morning_digest()
            counts.append(len([q for q in queries if "outbox_outboxmessage" not in q["sql"]]))
            [digest] = _digests(cast.a)
            digest.delete()  # else today's digest was sent already
    assert counts[0] == counts[1]
    assert digest.body.count("http://wijk-a.test/broker/mediations/") == 10 + 1  # + "all"


def test_a_retried_digest_mails_nobody_twice(cast, world) -> None:
    today = timezone.localdate()
    with tenant_context(cast.a.neighbourhood):
        services.start_mediation(
            requester=world.ann, provider=world.bert, active=True, started_on=today - 20 * DAY
        )
        assert services.send_morning_digest() == 1
        with CaptureQueriesContext(connection) as queries:
            assert services.send_morning_digest() == 0
        assert len([q for q in queries if "outbox_outboxmessage" in q["sql"]]) == 1
    assert len(_digests(cast.a)) == 1
    with tenant_context(cast.a.neighbourhood):  # tomorrow it comes again
        OutboxMessage.objects.update(created_at=timezone.now() - 1 * DAY)
        assert services.send_morning_digest() == 1
    assert len(_digests(cast.a)) == 2
