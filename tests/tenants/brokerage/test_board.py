"""The routing board: running trajectories by step, the limit warning, a constant number of
queries."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants.brokerage.models import RoutingStep
from tenants.brokerage.services import log_support_conversation, move_trajectory
from tenants.people.models import SubArea
from tests.support.factories import grow, participant

pytestmark = pytest.mark.django_db


def test_cards_show_days_conversations_and_the_warning_at_the_limit(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        lunetten = SubArea.objects.create(name="Lunetten")
        ans = participant("Ans", sub_area=lunetten)
        bert = participant("Bert")
        for _ in range(3):
            log_support_conversation(
                participant=ans, by=cast.a.broker.user, channel="phone", summary="Gebeld."
            )
        closed = participant("Carla")
        move_trajectory(
            participant=closed,
            to_step=RoutingStep.objects.filter(is_active=True).last(),
            by=cast.a.broker.user,
        )
    client = cast.a.client(cast.a.broker)
    page = client.get("/broker/board/").content.decode()
    assert "Ans" in page and "Bert" in page and "Carla" not in page
    assert page.count('class="badge-warning"') == 1
    assert f'href="/broker/participants/{ans.pk}/"' in page
    assert f'<label for="move-{bert.pk}">' in page  # a labelled form, not drag and drop
    filtered = client.get(f"/broker/board/?sub_area={lunetten.pk}").content.decode()
    assert "Ans" in filtered and "Bert" not in filtered


def test_the_api_lists_trajectories_by_step_and_moves_them(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ans = participant("Ans")
        steps = list(RoutingStep.objects.filter(is_active=True))
    client = cast.a.client(cast.a.broker)
    listed = client.get(f"/api/v1/trajectories/?step={steps[0].pk}").json()
    assert [row["participant"] for row in listed["results"]] == [ans.pk]
    moved = client.post(
        f"/api/v1/trajectories/{ans.pk}/move/",
        {"step": steps[3].pk},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["step"] == steps[3].pk
    assert client.get(f"/api/v1/trajectories/?step={steps[0].pk}").json()["count"] == 0
    bad = client.post(
        f"/api/v1/trajectories/{ans.pk}/move/", {"step": 999999}, content_type="application/json"
    )
    assert bad.status_code == 400 and "step" in bad.json()


def test_a_whole_step_opens_a_page_at_a_time_longest_waiting_first(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        grow(360)  # 60 at each running step
        first = RoutingStep.objects.filter(is_active=True).order_by("position").first()
    client = cast.a.client(cast.a.broker)
    board = client.get("/broker/board/").content.decode()
    assert f'href="?step={first.pk}"' in board  # more people than the column shows
    page_one = client.get(f"/broker/board/?step={first.pk}").content.decode()
    page_two = client.get(f"/broker/board/?step={first.pk}&page=2").content.decode()
    assert page_one.count('class="board-card"') == 50
    assert 0 < page_two.count('class="board-card"') < 50
    assert 'rel="next"' in page_one and f"step={first.pk}&amp;page=2" in page_one
