"""The API for rewards of many (a background job), the overview's figures: staff only,
404 while off, refusals naming the field."""

from __future__ import annotations

import json

import pytest
from django_tenants.utils import tenant_context

from tenants.credits.models import Transfer
from tests.support.cast import client_for
from tests.support.credits import assert_ledger_invariants, set_credits

pytestmark = pytest.mark.django_db
JOBS = "/api/v1/credits/reward-jobs/"
OVERVIEW = "/api/v1/credits/overview/"


def _api(place, member):  # type: ignore[no-untyped-def]
    client = client_for(place.host)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {member.token}"
    return client


def _post(client, url: str, data: dict) -> object:  # type: ignore[no-untyped-def,type-arg]
    return client.post(url, json.dumps(data), content_type="application/json")


def test_staff_reward_many_through_a_job_and_read_the_figures(
    cast, ledger, django_capture_on_commit_callbacks
) -> None:
    broker = _api(cast.a, cast.a.broker)
    with django_capture_on_commit_callbacks(execute=True):
        made = _post(
            broker,
            JOBS,
            {
                "recipients": [ledger.ans.pk, ledger.bert.pk, ledger.carla.pk],
                "amount": "2",
                "description": "Kerstactie",
                "organisation": ledger.scouting.pk,
            },
        )
    assert made.status_code == 202
    job = made.json()["id"]
    state = broker.get(f"{JOBS}{job}/").json()
    assert state["status"] == "done" and state["transfer"]
    with tenant_context(cast.a.neighbourhood):
        assert Transfer.objects.get(pk=state["transfer"]).movements.count() == 4
        assert_ledger_invariants()
    figures = broker.get(OVERVIEW).json()
    assert (figures["issued"], figures["in_circulation"]) == ("6.00", "6.00")
    assert figures["organisations"][0]["name"] == "Scouting Zuid"
    refused = _post(
        broker, JOBS, {"recipients": [ledger.ans.pk], "amount": "0.1", "description": "x"}
    )
    assert refused.status_code == 400 and "amount" in refused.json()
    assert broker.get(f"{JOBS}{'0' * 32}/").status_code == 404


def test_residents_may_not_and_everything_is_404_while_off(cast, ledger) -> None:
    resident = _api(cast.a, cast.a.resident)
    assert resident.get(OVERVIEW).status_code == 403
    assert _post(resident, JOBS, {}).status_code == 403
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    broker = _api(cast.a, cast.a.broker)
    assert broker.get(OVERVIEW).status_code == 404
    assert _post(broker, JOBS, {}).status_code == 404
    assert _api(cast.b, cast.b.broker).get(OVERVIEW).status_code == 404
