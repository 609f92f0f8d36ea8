"""The demo's organisation member: a login with the organisation role in Utrecht Zuid
(credits on), a member of Scouting Lunetten, who can reward its volunteers."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants.organisations import demo as organisations_demo
from tenants.organisations.models import Organisation
from tenants.people import demo as people_demo
from tenants.people.models import Participant
from tests.support.cast import Member
from tests.support.credits import set_credits
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.quickstart import demo_data

pytestmark = pytest.mark.django_db


def test_utrecht_zuid_where_credits_are_on_has_a_member_login() -> None:
    spec = next(s for s in demo_data.DEMO_NEIGHBOURHOODS if s.slug == "utrecht-zuid")
    assert spec.credits_enabled and "utrecht-zuid" in demo_data.DEMO_MEMBER
    organisation, _mailbox, _name = demo_data.DEMO_MEMBER["utrecht-zuid"]
    names = [row[0] for row in organisations_demo.ORGANISATIONS["utrecht-zuid"]]
    assert organisation in names


def test_the_demo_member_signs_in_and_reaches_the_reward_page(cast, monkeypatch) -> None:
    # given: neighbourhood A dressed as Utrecht Zuid, with credits on
    monkeypatch.setattr(demo_data, "DEMO_MEMBER", {"wijk-a": demo_data.DEMO_MEMBER["utrecht-zuid"]})
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=True)
    with tenant_context(cast.a.neighbourhood):
        people_demo.add_demo_data(cast.a.neighbourhood)
        organisations_demo.add_demo_data(cast.a.neighbourhood)
        # when: the demo starts twice
        email = demo_data.ensure_demo_member(cast.a.neighbourhood, cast.a.admin.user)
        assert demo_data.ensure_demo_member(cast.a.neighbourhood, cast.a.admin.user) == email
        # then: one login, one participant, a member of the scouting
        user = User.objects.get(email=email)
        assert user.role == Role.ORGANISATION and user.check_password(demo_data.DEMO_PASSWORD)
        participant = Participant.objects.get(user=user)
        scouting = Organisation.objects.get(name="Scouting Lunetten")
        assert list(scouting.members.all()) == [participant]
    assert demo_data.ensure_demo_member(cast.b.neighbourhood, cast.b.admin.user) == ""
    client = cast.a.client(Member(user, ""))
    page = client.get(f"/credits/organisations/{scouting.pk}/reward/")
    assert page.status_code == 200
