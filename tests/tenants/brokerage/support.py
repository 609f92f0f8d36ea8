"""Helpers for the brokerage tests: participants and other rows, fast for the big counts."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tenants.brokerage.models import RoutingStep, SupportConversation, Trajectory
from tenants.market.models import Ad, AdStatus, Category, Report, Response
from tenants.mediations.models import FollowUp, Mediation
from tenants.people.models import HeldMessage, Participant, SubArea
from tenants.people.services.participants import register_participant
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.testing import PASSWORD, Member


def participant(name: str = "Ans", **fields: object) -> Participant:
    return register_participant(display_name=name, **fields)  # type: ignore[arg-type]


def organisation_member() -> Member:
    user = User.objects.create_user(
        "org@example.org", PASSWORD, full_name="Scouting", role=Role.ORGANISATION
    )
    return Member(user, "")


def grow(n: int, *, sub_area: SubArea | None = None) -> None:
    """Add `n` participants and, for each, something in every dashboard and board section:
    a stale trajectory, support conversations, an ad waiting for approval with a held
    response and a report, a held message, and a mediation with a follow-up due. Written in
    bulk: a test of query counts needs thousands of rows quickly."""
    now = timezone.now()
    today = timezone.localdate()
    start = Participant.objects.count()
    people = Participant.objects.bulk_create(
        Participant(display_name=f"Deelnemer {start + i}", sub_area=sub_area) for i in range(n)
    )
    steps = list(RoutingStep.objects.filter(is_active=True))
    running = steps[:-1]
    Trajectory.objects.bulk_create(
        Trajectory(
            participant=p,
            step=running[i % len(running)],
            moved_at=now - datetime.timedelta(days=40 + i % 20),
        )
        for i, p in enumerate(people)
    )
    SupportConversation.objects.bulk_create(
        SupportConversation(participant=p, held_on=today, channel="phone", summary="Gebeld.")
        for i, p in enumerate(people)
        for _ in range(1 + i % 4)
    )
    category = Category.objects.first()
    ads = Ad.objects.bulk_create(
        Ad(
            kind="offer",
            title=f"Hulp {p.pk}",
            body="Ik help graag.",
            category=category,
            participant=p,
            status=AdStatus.AWAITING_APPROVAL,
        )
        for p in people
    )
    Response.objects.bulk_create(
        Response(ad=ad, responder=people[i - 1], message="Ik wil graag.", held_for_broker=True)
        for i, ad in enumerate(ads)
    )
    Report.objects.bulk_create(Report(ad=ad, reason="other") for ad in ads)
    HeldMessage.objects.bulk_create(
        HeldMessage(participant=p, purpose="response", subject="Reactie", body="Iemand reageerde.")
        for p in people
    )
    mediations = Mediation.objects.bulk_create(
        Mediation(requester=people[i - 1], provider=p, active=True, started_on=today)
        for i, p in enumerate(people)
    )
    FollowUp.objects.bulk_create(FollowUp(mediation=m, due_on=today) for m in mediations)
