"""An organisation's member (a participant signed in by a link) rewards its volunteers: the
broker's reward job, from the organisation's issuing account, audited as done by the member;
only its own members and placements; nobody else reaches the page; 404 while off."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.credits.models import Account, Transfer
from tenants.credits.selectors import balance
from tenants.organisations.services import create_organisation
from tenants.people.sessions import SESSION_KEY
from tests.support import factories
from tests.support.credits import assert_ledger_invariants, set_credits

pytestmark = pytest.mark.django_db


def _signed_in(place, participant):  # type: ignore[no-untyped-def]
    client = place.client()
    with tenant_context(place.neighbourhood):
        session = client.session
        session[SESSION_KEY] = participant.pk
        session.save()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _url(organisation) -> str:  # type: ignore[no-untyped-def]
    return f"/credits/organisations/{organisation.pk}/reward/"


def test_a_member_rewards_three_volunteers_in_one_audited_job(
    cast, ledger, django_capture_on_commit_callbacks
) -> None:
    with tenant_context(cast.a.neighbourhood):
        stranger = factories.participant("Zoë Onbekend")
        ledger.scouting.members.add(ledger.ans, ledger.bert, ledger.carla)
    member = _signed_in(cast.a, ledger.ans)
    for page in ("/credits/mine/", "/ads/mine/"):
        assert _url(ledger.scouting) in member.get(page).content.decode()
    form = member.get(_url(ledger.scouting)).content.decode()
    assert "Bert" in form and "Carla" in form and "Zoë" not in form  # its own people only
    refused = member.post(
        _url(ledger.scouting),
        {"recipients": [stranger.pk], "amount_each": "2", "description": "Kerst"},
    )
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=False) as queued:
        posted = member.post(
            _url(ledger.scouting),
            {
                "recipients": [ledger.ans.pk, ledger.bert.pk, ledger.carla.pk],
                "amount_each": "2",
                "description": "Kerstactie",
            },
        )
    assert posted.status_code == 302 and len(queued) == 1
    assert "hx-get" in member.get(posted["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    assert "3 people rewarded" in member.get(posted["Location"]).content.decode()
    with tenant_context(cast.a.neighbourhood):
        reward = Transfer.objects.get(kind="reward")
        assert reward.movements.count() == 4
        issuing = Account.objects.get(kind="organisation_issuing", organisation=ledger.scouting)
        assert balance(issuing) == D(-6)
        for person in (ledger.ans, ledger.bert, ledger.carla):
            assert balance(Account.objects.get(participant=person)) == D(2)
        event = AuditEvent.objects.get(action="credit_reward.by_member")
        assert event.target_id == str(reward.pk)
        assert event.detail == {"organisation": ledger.scouting.pk, "participant": ledger.ans.pk}
        assert_ledger_invariants()


def test_only_a_signed_in_member_of_that_organisation_reaches_the_page(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        other = create_organisation(by=cast.a.broker.user, name="Buurthuis")
        ledger.scouting.members.add(ledger.ans)
        other.members.add(ledger.bert)
    member = _signed_in(cast.a, ledger.ans)
    assert member.get(_url(ledger.scouting)).status_code == 200
    assert member.get(_url(other)).status_code == 404  # another organisation
    assert member.get(f"{_url(other)}0123/").status_code == 404
    assert member.post(_url(other), {"recipients": [ledger.bert.pk]}).status_code == 404
    assert _signed_in(cast.a, ledger.carla).get(_url(ledger.scouting)).status_code == 404
    assert cast.a.client().get(_url(ledger.scouting)).status_code == 404  # anonymous
    assert member.get(f"{_url(ledger.scouting)}0123456789abcdef/").status_code == 404
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    assert member.get(_url(ledger.scouting)).status_code == 404  # credits off


def test_neighbourhood_b_knows_neither_the_organisation_nor_the_member(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        ledger.scouting.members.add(ledger.ans)
    set_credits(cast.b.neighbourhood, cast.b.admin.user, credits_enabled=True)
    with tenant_context(cast.b.neighbourhood):
        someone = factories.participant("Iemand in B")
    assert _signed_in(cast.b, someone).get(_url(ledger.scouting)).status_code == 404
    assert cast.b.client().get(_url(ledger.scouting)).status_code == 404


def test_the_page_keeps_its_query_count_as_the_organisation_grows(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        ledger.scouting.members.add(ledger.ans, ledger.bert)
    member = _signed_in(cast.a, ledger.ans)

    def count() -> int:
        member.get(_url(ledger.scouting))
        with CaptureQueriesContext(connection) as queries:
            assert member.get(_url(ledger.scouting)).status_code == 200
        return len(queries)

    before = count()
    with tenant_context(cast.a.neighbourhood):
        ledger.scouting.members.add(*(factories.participant(f"Lid {n}") for n in range(15)))
    assert count() == before


def test_an_organisation_member_rewards_its_volunteers_through_the_api(
    cast, ledger, django_capture_on_commit_callbacks
) -> None:
    from tenants.organisations.services import add_organisation_member
    from tests.support.cast import client_for

    with tenant_context(cast.a.neighbourhood):
        member = factories.organisation_member()
        ledger.carla.user = member.user
        ledger.carla.save(update_fields=["user"])
        for person in (ledger.carla, ledger.bert):
            add_organisation_member(
                organisation=ledger.scouting, participant=person, by=cast.a.broker.user
            )
    api = client_for(cast.a.host, cast.a.neighbourhood, member)
    jobs = "/api/v1/credits/reward-jobs/"
    outsider = {"recipients": [ledger.ans.pk], "amount": "1", "description": "X"}
    refused = api.post(jobs, {**outsider, "organisation": ledger.scouting.pk})
    assert refused.status_code == 400 and "recipients" in refused.json()
    assert api.post(jobs, outsider).status_code == 400  # no organisation
    with django_capture_on_commit_callbacks(execute=True):
        made = api.post(
            jobs,
            {
                "recipients": [ledger.bert.pk],
                "amount": "2",
                "description": "Kerst",
                "organisation": ledger.scouting.pk,
            },
        )
    assert made.status_code == 202
    assert api.get(f"{jobs}{made.json()['id']}/").json()["status"] == "done"
    with tenant_context(cast.a.neighbourhood):
        event = AuditEvent.objects.get(action="credit_reward.by_member")
        assert event.detail["participant"] == ledger.carla.pk and event.actor_id == member.user.pk
    resident = client_for(cast.a.host, cast.a.neighbourhood, cast.a.resident)
    assert resident.post(jobs, outsider).status_code == 403


def test_a_double_click_on_the_reward_form_makes_one_job_and_one_transfer(
    cast, ledger, django_capture_on_commit_callbacks
) -> None:
    with tenant_context(cast.a.neighbourhood):
        ledger.scouting.members.add(ledger.ans, ledger.bert)
    member = _signed_in(cast.a, ledger.ans)
    page = member.get(_url(ledger.scouting))
    key = page.context["form"]["idempotency_key"].value()
    assert key and f'value="{key}"' in page.content.decode()  # the form carries it
    form = {
        "recipients": [ledger.bert.pk],
        "amount_each": "1",
        "description": "Dank",
        "idempotency_key": key,
    }
    with django_capture_on_commit_callbacks(execute=True) as queued:
        first = member.post(_url(ledger.scouting), form)
        second = member.post(_url(ledger.scouting), form)  # the second click
    assert first["Location"] == second["Location"]  # the same job's progress page
    assert len(queued) == 1  # queued once
    again = member.post(_url(ledger.scouting), form)  # after it ran: still the same job
    assert again["Location"] == first["Location"]
    with tenant_context(cast.a.neighbourhood):
        assert Transfer.objects.filter(kind="reward").count() == 1
        assert balance(Account.objects.get(participant=ledger.bert)) == D(1)
