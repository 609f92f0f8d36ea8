"""Test data, made through the services (so tests exercise the rules they rely on), except
`many_published_ads`, `many_participants` and `grow`, which write in bulk because a
query-count test needs thousands of rows quickly. Call them inside the neighbourhood's schema."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tenants.brokerage.models import RoutingStep, SupportConversation, Trajectory
from tenants.market.models import Ad, AdStatus, Category, Report, Response
from tenants.market.services.ads import ad_search_vector, close_ad, confirm_ad, place_ad
from tenants.mediations.models import FollowUp, Mediation
from tenants.people.models import HeldMessage, Participant, SubArea
from tenants.people.services.participants import participant_for_contact, register_participant
from tijdvoorelkaar.accounts.models import Role, User

from .cast import PASSWORD, Member

OWNER_EMAIL = "ans.owner@example.org"
RESPONDER_EMAIL = "bert.responder@example.org"
RESPONDER_PHONE = "06 9876 5432"


def participant(name: str = "Ans", **fields: Any) -> Participant:
    """A participant registered as the broker registers one."""
    return register_participant(display_name=name, **fields)


def organisation_member(email: str = "org@example.org", full_name: str = "Scouting") -> Member:
    """A user with the organisation role (no API token)."""
    user = User.objects.create_user(email, PASSWORD, full_name=full_name, role=Role.ORGANISATION)
    return Member(user, "")


def published_ad(
    *,
    kind: str = "offer",
    title: str = "",
    body: str = "Snoeien en harken, op zaterdag.",
    email: str = OWNER_EMAIL,
    name: str = "Ans",
    phone: str = "",
    language: str = "nl",
    through_broker_only: bool = False,
    placed_by_broker: User | None = None,
    **extra: Any,
) -> Ad:
    """A published ad in the garden category, placed as a resident does (and confirmed by
    its link) or by the broker. The owner is found by e-mail address (or phone) or created."""
    owner = participant_for_contact(display_name=name, email=email, phone=phone)
    owner.preferred_language = language
    owner.through_broker_only = through_broker_only
    ad = place_ad(
        participant=owner,
        kind=kind,
        title=title
        or ("Ik help met de tuin" if kind == "offer" else "Wie helpt met boodschappen?"),
        body=body,
        category=Category.objects.get(slug="tuin"),
        placed_by_broker=placed_by_broker,
        **extra,
    )
    return confirm_ad(ad=ad) if ad.status == AdStatus.UNCONFIRMED else ad


def broker_ad(participant: Participant, kind: str, title: str, body: str, **fields: Any) -> Ad:
    """Placed by a broker, so published at once; `status` "closed" closes it through the
    market's service, "awaiting_approval" (a state only moderation-first reaches) is set."""
    status = fields.pop("status", AdStatus.PUBLISHED)
    fields.setdefault("category", Category.objects.order_by("position").first())
    broker = User.objects.filter(role=Role.BROKER).order_by("id").first()
    ad = place_ad(
        participant=participant,
        kind=kind,
        title=title,
        body=body,
        placed_by_broker=broker,
        **fields,
    )
    if status == AdStatus.CLOSED:
        close_ad(ad=ad)
    elif status != AdStatus.PUBLISHED:
        Ad.objects.filter(pk=ad.pk).update(status=status, published_at=None, expires_at=None)
        ad.refresh_from_db()
    return ad


def respond_form(**changes: str) -> dict[str, str]:
    """The respond form as an anonymous responder fills it in."""
    data = {
        "display_name": "Bert",
        "email": RESPONDER_EMAIL,
        "phone": "",
        "message": "Ik kan zaterdag helpen met snoeien.",
        "website": "",
    }
    data.update(changes)
    return data


def many_published_ads(count: int, *, word: str = "fiets") -> None:
    """`count` published ads in two statements (bulk insert, one search-vector update)."""
    owner = published_ad(email="veel@example.org", name="Veel").participant
    categories = list(Category.objects.all())
    now = timezone.now()
    Ad.objects.bulk_create(
        Ad(
            kind="offer" if n % 2 else "request",
            title=f"Advertentie {n} {word}",
            body=f"Tekst van advertentie {n} over een {word} en de buurt.",
            category=categories[n % len(categories)],
            participant=owner,
            status=AdStatus.PUBLISHED,
            confirmed_at=now,
            published_at=now - datetime.timedelta(minutes=n),
            expires_at=now + datetime.timedelta(weeks=8),
        )
        for n in range(count)
    )
    Ad.objects.filter(search_vector__isnull=True).update(search_vector=ad_search_vector())


def many_participants(n: int) -> list[Participant]:
    """`n` bare participants in one insert (a reward of hundreds of volunteers)."""
    return Participant.objects.bulk_create(
        Participant(display_name=f"Vrijwilliger {i}") for i in range(n)
    )


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
