"""The routing: default steps, the admin's edits, trajectories and their history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.brokerage.models import RoutingStep, Trajectory, TrajectoryMove
from tenants.brokerage.provisioning import DEFAULT_STEPS
from tenants.brokerage.services import move_trajectory, retire_routing_step, start_trajectory
from tenants.brokerage.timeline import TIMELINE
from tests.support.factories import participant

pytestmark = pytest.mark.django_db


def _names() -> list[str]:
    return list(RoutingStep.objects.filter(is_active=True).values_list("name", flat=True))


def test_a_new_neighbourhood_has_the_default_routing_in_its_language(cast) -> None:
    with translation.override(cast.a.neighbourhood.default_language):
        expected = [gettext(name) for name in DEFAULT_STEPS]
    with tenant_context(cast.a.neighbourhood):
        assert _names() == expected
    assert len(expected) == 7


def test_the_admin_adds_renames_reorders_and_retires_steps(cast) -> None:
    admin = cast.a.client(cast.a.admin)
    assert admin.post("/manage/routing/", {"name": "Evaluatie"}).status_code == 302
    with tenant_context(cast.a.neighbourhood):
        step = RoutingStep.objects.get(name="Evaluatie")
        first = RoutingStep.objects.filter(is_active=True).first()
    assert _post(admin, step.pk, action="up").status_code == 302
    assert _post(admin, first.pk, action="rename", name="Kennismaking").status_code == 302
    with tenant_context(cast.a.neighbourhood):
        names = _names()
        assert names[0] == "Kennismaking" and names[-2] == "Evaluatie"
    assert _post(admin, step.pk, action="retire").status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert "Evaluatie" not in _names()
        assert AuditEvent.objects.filter(action="routing.step_retired").exists()
    page = admin.get("/manage/routing/").content.decode()
    assert "Evaluatie" in page  # listed under the retired steps, with a restore button
    # Bad input: an empty name and a duplicate are refused with a reason.
    assert admin.post("/manage/routing/", {"name": " "}).status_code == 400
    assert admin.post("/manage/routing/", {"name": "kennismaking"}).status_code == 400


def _post(client, pk: int, **data: str):  # type: ignore[no-untyped-def]
    return client.post(f"/manage/routing/{pk}/", data)


def test_a_step_with_people_cannot_be_retired(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        trajectory = start_trajectory(participant=participant(), by=cast.a.broker.user)
        with pytest.raises(ValidationError):
            retire_routing_step(step=trajectory.step, by=cast.a.admin.user)


def test_moving_keeps_the_history_and_the_timeline_shows_it(
    cast, django_assert_num_queries
) -> None:
    with tenant_context(cast.a.neighbourhood):
        ans = participant()
        steps = list(RoutingStep.objects.filter(is_active=True))
        trajectory = start_trajectory(participant=ans, by=cast.a.broker.user)
        assert trajectory.step == steps[0]
        move_trajectory(participant=ans, to_step=steps[2], by=cast.a.broker.user)
        move_trajectory(participant=ans, to_step=steps[2], by=cast.a.broker.user)  # no-op
        trajectory = Trajectory.objects.get(participant=ans)
        assert trajectory.step == steps[2] and trajectory.moved_by == cast.a.broker.user
        moves = list(TrajectoryMove.objects.filter(trajectory=trajectory).order_by("at", "id"))
        assert [(m.from_step_id, m.to_step_id) for m in moves] == [
            (None, steps[0].pk),
            (steps[0].pk, steps[2].pk),
        ]
        assert AuditEvent.objects.filter(action="trajectory.moved").count() == 1
        with django_assert_num_queries(1):  # conversations and moves in one statement
            entries = TIMELINE.entries_for(ans)
        assert [e.kind for e in entries] == ["routing", "routing"]


def test_a_participant_never_moved_starts_on_the_first_move(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ans = participant()
        step = RoutingStep.objects.filter(is_active=True)[1]
    response = cast.a.client(cast.a.broker).post(
        f"/broker/participants/{ans.pk}/move/", {"step": step.pk, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/broker/board/#card-{ans.pk}"
    with tenant_context(cast.a.neighbourhood):
        assert Trajectory.objects.get(participant=ans).step == step


def test_the_admin_changes_the_routing_through_the_api(cast) -> None:
    admin = cast.a.client(cast.a.admin)
    created = admin.post(
        "/api/v1/routing-steps/", {"name": "Evaluatie"}, content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (
        admin.post(
            f"/api/v1/routing-steps/{pk}/move/",
            {"direction": "up"},
            content_type="application/json",
        ).status_code
        == 200
    )
    renamed = admin.patch(
        f"/api/v1/routing-steps/{pk}/", {"name": "Afronding"}, content_type="application/json"
    )
    assert renamed.json()["name"] == "Afronding"
    assert admin.post(f"/api/v1/routing-steps/{pk}/retire/").json()["is_active"] is False
    assert admin.post(f"/api/v1/routing-steps/{pk}/restore/").json()["is_active"] is True
    names = [
        step["name"] for step in cast.a.client(cast.a.broker).get("/api/v1/routing-steps/").json()
    ]
    assert names[-1] == "Afronding"
    assert (
        cast.a.client(cast.a.broker).post(f"/api/v1/routing-steps/{pk}/retire/").status_code == 403
    )
