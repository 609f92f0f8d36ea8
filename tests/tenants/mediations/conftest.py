"""A small neighbourhood world for the mediation tests, built in neighbourhood A.

Participants come from the people services. The market and organisations apps have no
write services on main yet, so ads and organisations are created directly here (the
only place these tests do so)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.market.models import Ad, Category
from tenants.organisations.models import Organisation
from tenants.people.models import Participant, SubArea
from tenants.people.services import register_participant
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
    fields.setdefault("category", Category.objects.order_by("position").first())
    fields.setdefault("status", "published")
    fields.setdefault("published_at", timezone.now())
    return Ad.objects.create(participant=participant, kind=kind, title=title, body=body, **fields)


def make_participant(name: str, **fields: Any) -> Participant:
    return register_participant(display_name=name, **fields)


@pytest.fixture
def world(cast) -> World:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        lunetten = SubArea.objects.create(name="Lunetten")
        hoograven = SubArea.objects.create(name="Hoograven")
        gone = make_participant("Weg")
        Participant.objects.filter(pk=gone.pk).update(erased_at=timezone.now())
        gone.refresh_from_db()
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
            school=Organisation.objects.create(name="Basisschool De Boomgaard"),
        )


@pytest.fixture
def organisation_member(cast) -> Member:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        user = User.objects.create_user(
            "school@wijk-a.test", PASSWORD, full_name="School", role=Role.ORGANISATION
        )
    return Member(user, "")
