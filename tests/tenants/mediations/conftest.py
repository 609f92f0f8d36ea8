"""A small neighbourhood world for the mediation tests, built in neighbourhood A.

Everything is made through the services: participants and sub-areas (people), ads placed
by the broker (market: published at once), the organisation (organisations)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django_tenants.utils import tenant_context

from tenants.market.models import Ad, Category
from tenants.organisations.models import Organisation
from tenants.organisations.services import create_organisation
from tenants.people.models import Participant, SubArea
from tenants.people.services.participants import ensure_sub_areas
from tenants.people.services.privacy import ERASE_CONFIRMATION, erase_participant
from tests.support import factories
from tests.support.cast import Member
from tests.support.factories import broker_ad, participant


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
        return broker_ad(participant, kind, title, body, **fields)

    def participant(self, name: str, **fields: Any) -> Participant:
        return participant(name, **fields)


@pytest.fixture
def world(cast) -> World:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        lunetten, hoograven = ensure_sub_areas(names=["Lunetten", "Hoograven"])
        gone = erase_participant(
            participant=participant("Weg"), erased_by=None, confirmation=ERASE_CONFIRMATION
        )
        categories = list(Category.objects.order_by("position"))
        return World(
            ann=participant("Ann", email="ann@example.test", sub_area=lunetten),
            bert=participant("Bert", email="bert@example.test", sub_area=lunetten),
            carla=participant("Carla", sub_area=hoograven),
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
        return factories.organisation_member("school@wijk-a.test", "School")
