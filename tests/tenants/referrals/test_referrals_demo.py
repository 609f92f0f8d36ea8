"""The demo content of the social map, referrals and group visits, with and without people."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django_tenants.utils import tenant_context

from tenants.organisations import demo as organisations_demo
from tenants.organisations.models import Organisation
from tenants.people.services.participants import register_participant
from tenants.referrals import demo as referrals_demo
from tenants.referrals.models import GroupVisit, Referral

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("people", [0, 10])
def test_the_demo_adds_organisations_referrals_and_group_visits(cast, people: int) -> None:
    with tenant_context(cast.a.neighbourhood):
        for number in range(people):
            register_participant(display_name=f"Buur {number}")
        organisations_demo.add_demo_data(cast.a.neighbourhood)
        organisations_demo.add_demo_data(cast.a.neighbourhood)  # idempotent
        referrals_demo.add_demo_data(cast.a.neighbourhood)
        assert Organisation.objects.count() == 6
        assert all(o.contact_name for o in Organisation.objects.all())
        visits = GroupVisit.objects.annotate(joined_count=Count("joined"))
        assert len(visits) == 6 and all(v.joined_count <= v.reached for v in visits)
        assert sum(v.joined_count for v in visits) == min(people, 12)
        assert Referral.objects.count() == (5 if people else 0)
