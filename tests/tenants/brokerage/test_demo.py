"""The demo: tolerates an empty neighbourhood, and routes the participants there are."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants.brokerage.demo import add_demo_data
from tenants.brokerage.models import SupportConversation, Trajectory
from tenants.brokerage.selectors import dashboard
from tests.support.factories import participant

pytestmark = pytest.mark.django_db


def test_the_demo_routes_existing_participants_and_tolerates_none(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        add_demo_data(cast.a.neighbourhood)  # nobody yet: nothing happens
        assert not Trajectory.objects.exists()
        for name in ("Ans", "Bert", "Carla", "Dirk", "Els", "Fatima", "Gerrit", "Hanna"):
            participant(name)
        add_demo_data(cast.a.neighbourhood)
        assert Trajectory.objects.count() == 8
        assert SupportConversation.objects.count() == 3 + 3
        assert dashboard().stale.total == 2
