"""The day's dashboard: what waits for the broker, the buttons, kind empty states."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.brokerage.models import RoutingStep, Trajectory
from tenants.brokerage.services import move_trajectory
from tenants.market.models import Category, Response
from tenants.market.services.ads import place_ad
from tenants.mediations.services import start_mediation
from tenants.people.models import HeldMessage
from tenants.people.services.messages import notify_participant
from tests.support.factories import participant

pytestmark = pytest.mark.django_db


def test_an_empty_day_says_so_kindly(cast) -> None:
    page = cast.a.client(cast.a.broker).get("/broker/").content.decode()
    assert 'class="dashboard-list"' not in page and page.count('class="status">0<') == 5
    assert 'aria-current="page"' in page and "getoond" not in page


def test_the_dashboard_shows_what_waits_and_its_buttons_work(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        broker = cast.a.broker.user
        fatima = participant("Fatima", phone="0612345678")
        piet = participant("Piet", email="piet@example.org")
        ad = place_ad(
            participant=fatima,
            kind="offer",
            title="Boodschappen doen",
            body="Ik doe graag boodschappen.",
            category=Category.objects.first(),
            placed_by_broker=broker,
        )
        response = Response.objects.create(
            ad=ad, responder=piet, message="Graag!", held_for_broker=True
        )
        held = notify_participant(
            participant=fatima, subject="Een reactie", body="Piet reageerde.", purpose="response"
        )
        # A mediation started a while ago: its broker follow-up is due now.
        mediation = start_mediation(
            requester=piet,
            provider=fatima,
            ads=[ad],
            active=True,
            started_on=timezone.localdate() - datetime.timedelta(weeks=3),
            created_by=broker,
        )
        move_trajectory(
            participant=piet, to_step=RoutingStep.objects.filter(is_active=True)[1], by=broker
        )
        Trajectory.objects.filter(participant=piet).update(
            moved_at=timezone.now() - datetime.timedelta(days=45)
        )
    client = cast.a.client(cast.a.broker)
    page = client.get("/broker/").content.decode()
    assert f'href="/broker/mediations/{mediation.pk}/"' in page
    assert "Piet – Fatima" in page
    assert "Boodschappen doen" in page and "Een reactie" in page
    assert f'href="/broker/participants/{piet.pk}/"' in page  # stale trajectory
    # The held message's page shows how to reach her, and reading it is recorded.
    message_page = client.get(f"/broker/held-messages/{held.pk}/").content.decode()
    assert "0612345678" in message_page and "Piet reageerde." in message_page
    client.post(f"/broker/responses/{response.pk}/seen/")
    client.post(f"/broker/held-messages/{held.pk}/")
    with tenant_context(cast.a.neighbourhood):
        response.refresh_from_db()
        assert response.seen_by_broker_at is not None
        assert HeldMessage.objects.get(pk=held.pk).handled_by == broker
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {
            "held_message.viewed",
            "participant.held_message_handled",
            "response.seen_by_broker",
        } <= actions
    page = client.get("/broker/").content.decode()
    assert "Een reactie" not in page and f"/broker/responses/{response.pk}/seen/" not in page
    summary = client.get("/api/v1/broker/dashboard/").json()
    assert summary["follow_ups_this_week"] == 1 and summary["stale_trajectories"] == 1
    assert summary["messages_held"] == 0 and summary["ads_placed_this_month"] >= 1


def test_the_week_ahead_shows_with_overdue_calls_marked(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ans, bram = participant("Ans", email="ans@example.org"), participant("Bram", phone="0611")
        today = timezone.localdate()
        # Follow-ups after 2 and 6 weeks: one due in 6 days, one overdue, two far ahead.
        start_mediation(
            requester=ans, provider=bram, active=True, started_on=today - datetime.timedelta(days=8)
        )
        start_mediation(
            requester=bram,
            provider=ans,
            active=True,
            started_on=today - datetime.timedelta(days=20),
        )
    page = cast.a.client(cast.a.broker).get("/broker/").content.decode()
    assert page.count("Ans – Bram") == 1 and page.count("Bram – Ans") == 1
    assert page.count("<strong>te laat</strong>") == 1


def test_more_follow_ups_than_shown_link_to_the_whole_week(cast) -> None:
    from tenants.brokerage.selectors import DASHBOARD_LIST

    with tenant_context(cast.a.neighbourhood):
        ans = participant("Ans", email="ans@example.org")
        today = timezone.localdate()
        for index in range(DASHBOARD_LIST + 1):  # each due in 4 days
            start_mediation(
                requester=ans,
                provider=participant(f"Buur {index}"),
                active=True,
                started_on=today - datetime.timedelta(days=10),
            )
    client = cast.a.client(cast.a.broker)
    page = client.get("/broker/").content.decode()
    assert 'href="/broker/mediations/follow-ups/?until=week"' in page
    # the heading counts 11 and the list holds 10: the page says so
    assert page.count(f"{DASHBOARD_LIST} van de {DASHBOARD_LIST + 1} getoond.") == 1
    listed = client.get("/broker/mediations/follow-ups/?until=week").content.decode()
    assert listed.count("Buur ") == DASHBOARD_LIST + 1


def test_names_and_titles_in_the_lists_are_escaped(cast) -> None:
    # Given a participant and an ad whose names look like markup, in every list they show in
    with tenant_context(cast.a.neighbourhood):
        broker = cast.a.broker.user
        odd = participant('<b>Ans & "Bram"</b>', phone="0612345678")
        piet = participant("Piet", email="piet@example.org")
        ad = place_ad(
            participant=odd,
            kind="offer",
            title="<i>Boodschappen</i>",
            body="Ik doe graag boodschappen.",
            category=Category.objects.first(),
            placed_by_broker=broker,
        )
        Response.objects.create(ad=ad, responder=odd, message="Graag!", held_for_broker=True)
        notify_participant(participant=odd, subject="<u>Post</u>", body="…", purpose="response")
        start_mediation(
            requester=odd,
            provider=piet,
            active=True,
            started_on=timezone.localdate() - datetime.timedelta(weeks=3),
        )
        move_trajectory(
            participant=odd, to_step=RoutingStep.objects.filter(is_active=True)[1], by=broker
        )
        Trajectory.objects.filter(participant=odd).update(
            moved_at=timezone.now() - datetime.timedelta(days=45)
        )
    # When the broker opens the dashboard, then they read as text, never as markup
    page = cast.a.client(cast.a.broker).get("/broker/").content.decode()
    escaped = "&lt;b&gt;Ans &amp; &quot;Bram&quot;&lt;/b&gt;"
    assert page.count(escaped) >= 5  # follow-up, response (twice), message, stale
    assert "&lt;i&gt;Boodschappen&lt;/i&gt;" in page and "&lt;u&gt;Post&lt;/u&gt;" in page
    assert "<b>Ans" not in page and "<i>Boodschappen" not in page and "<u>Post" not in page
