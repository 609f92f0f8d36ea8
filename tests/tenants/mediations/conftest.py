"""A small neighbourhood world for the mediation tests, built in neighbourhood A.

Everything is made through the services: participants and sub-areas (people), ads placed
by the broker (market: published at once), the organisation (organisations)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django_tenants.utils import tenant_context

from tenants.market.models import Ad, AdStatus, Category
from tenants.market.services.ads import close_ad, place_ad
from tenants.organisations.models import Organisation
from tenants.organisations.services import create_organisation
from tenants.people.models import Participant, SubArea
from tenants.people.services.participants import ensure_sub_areas, register_participant
from tenants.people.services.privacy import ERASE_CONFIRMATION, erase_participant
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.testing import PASSWORD, Member


@dataclass
class World:
    ann: Participant  # asks for help
    bert: Participant  # offers help
    carla: Participant
    gone: Participant  # erased
    lunetten: SubArea
    hoograven: SubArea
    garden: Category
    language: Category
    school: Organisation

    def ad(self, participant: Participant, kind: str, title: str, body: str, **fields: Any) -> Ad:
        """A published ad by default."""
        return make_ad(participant, kind, title, body, **fields)

    def participant(self, name: str, **fields: Any) -> Participant:
        return make_participant(name, **fields)


def make_ad(participant: Participant, kind: str, title: str, body: str, **fields: Any) -> Ad:
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


def make_participant(name: str, **fields: Any) -> Participant:
    return register_participant(display_name=name, **fields)


@pytest.fixture
def world(cast) -> World:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        lunetten, hoograven = ensure_sub_areas(names=["Lunetten", "Hoograven"])
        gone = erase_participant(
            participant=make_participant("Weg"), erased_by=None, confirmation=ERASE_CONFIRMATION
        )
        categories = list(Category.objects.order_by("position"))
        return World(
            ann=make_participant("Ann", email="ann@example.test", sub_area=lunetten),
            bert=make_participant("Bert", email="bert@example.test", sub_area=lunetten),
            carla=make_participant("Carla", sub_area=hoograven),
            gone=gone,
            lunetten=lunetten,
            hoograven=hoograven,
            garden=categories[1],
            language=categories[3],
            school=create_organisation(by=None, name="Basisschool De Boomgaard"),
        )


@pytest.fixture
def organisation_member(cast) -> Member:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        user = User.objects.create_user(
            "school@wijk-a.test", PASSWORD, full_name="School", role=Role.ORGANISATION
        )
    return Member(user, "")
