"""The people demo: sub-areas by neighbourhood, a realistic mix of participants."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django_tenants.utils import tenant_context

from tenants.people.demo import add_demo_data
from tenants.people.models import HeldMessage, Participant, SubArea
from tenants.people.selectors import profile_figures

pytestmark = pytest.mark.django_db


def test_the_demo_gives_utrecht_zuid_its_sub_areas_and_a_mix_of_people(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        add_demo_data(SimpleNamespace(slug="utrecht-zuid"))
        assert list(SubArea.objects.values_list("name", flat=True)) == [
            "Bokkenbuurt",
            "Tolsteeg",
            "Hoograven",
            "Lunetten",
        ]
        people = Participant.objects.order_by("id")
        assert people.count() == 25
        assert people.filter(email="").count() >= 5
        assert people.filter(through_broker_only=True).count() >= 2
        assert people.exclude(contact_person_name="").count() >= 3
        assert all(p.consents.filter(topic="registration").exists() for p in people)
        assert sum(profile_figures()["gender"].values()) == 6
        assert HeldMessage.objects.filter(handled_at__isnull=True).count() == 1


def test_other_neighbourhoods_get_no_sub_areas(cast) -> None:
    with tenant_context(cast.b.neighbourhood):
        add_demo_data(cast.b.neighbourhood)
        assert not SubArea.objects.exists()
        assert Participant.objects.count() == 25
