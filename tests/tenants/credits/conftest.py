"""Credits on in neighbourhood A (inside the test's transaction) and a small cast of
participants and an organisation, made through the services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import translation
from django_tenants.utils import tenant_context

from tenants.organisations.models import Organisation
from tenants.organisations.services import create_organisation
from tenants.people.models import Participant
from tests.support import factories
from tests.support.credits import set_credits


@dataclass
class Ledger:
    ans: Participant
    bert: Participant
    carla: Participant
    scouting: Organisation


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The tests read the services' messages in the language they are written in."""
    with translation.override("en"):
        yield


@pytest.fixture
def credits_on(cast):  # type: ignore[no-untyped-def]
    """Neighbourhood A with credits on: the row as it now is."""
    return set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=True)


@pytest.fixture
def ledger(cast, credits_on):  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        return Ledger(
            ans=factories.participant("Ans"),
            bert=factories.participant("Bert"),
            carla=factories.participant("Carla"),
            scouting=create_organisation(by=cast.a.broker.user, name="Scouting Zuid"),
        )
