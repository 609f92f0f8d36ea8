"""The credits API: who sees which accounts, staff's transfers, refusals naming the field,
the schema, isolation between neighbourhoods, and 404 everywhere while credits are off."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.credits.models import Account, Transfer
from tenants.credits.services import reward_participants
from tenants.organisations.services import add_organisation_member
from tests.support import factories
from tests.support.cast import client_for
from tests.support.credits import assert_ledger_invariants, set_credits

pytestmark = pytest.mark.django_db
D = Decimal
ACCOUNTS = "/api/v1/credits/accounts/"
TRANSFERS = "/api/v1/credits/transfers/"


def _api(place, member):  # type: ignore[no-untyped-def]
    return client_for(place.host, place.neighbourhood, member)


def _rewarded(place, ledger, *people):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return reward_participants(
            recipients=list(people),
            amount_each=D(2),
            organisation=ledger.scouting,
            by=place.broker.user,
            description="Kerstactie",
        )


def _post(client, path, data):  # type: ignore[no-untyped-def]
    return client.post(path, data, content_type="application/json")


def test_a_resident_sees_only_their_own_account_and_statement(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        ledger.ans.user = cast.a.resident.user
        ledger.ans.save(update_fields=["user"])
    _rewarded(cast.a, ledger, ledger.ans, ledger.bert)
    with tenant_context(cast.a.neighbourhood):
        own = Account.objects.get(participant=ledger.ans)
        other = Account.objects.get(participant=ledger.bert)
    resident = _api(cast.a, cast.a.resident)

    listed = resident.get(ACCOUNTS).json()["results"]
    assert [(a["id"], a["balance"], a["owner"]) for a in listed] == [(own.pk, "2.00", "Ans")]
    assert resident.get(f"{ACCOUNTS}{other.pk}/").status_code == 404
    assert resident.get(f"{ACCOUNTS}{other.pk}/statement/").status_code == 404
    lines = resident.get(f"{ACCOUNTS}{own.pk}/statement/").json()["results"]
    assert [(line["amount"], line["balance_after"], line["kind"]) for line in lines] == [
        ("2.00", "2.00", "reward")
    ]
    assert resident.get(TRANSFERS).status_code == 403
    assert _post(resident, TRANSFERS, {}).status_code == 403
    # A resident reading their own account is not a staff read of personal data.
    assert (
        not AuditEvent.objects.filter(action__startswith="credit_")
        .exclude(action="credit_transfer.made")
        .exists()
    )


def test_an_organisation_member_sees_their_organisations_accounts(cast, ledger) -> None:
    _rewarded(cast.a, ledger, ledger.bert)
    with tenant_context(cast.a.neighbourhood):
        member = factories.organisation_member()
        ledger.carla.user = member.user
        ledger.carla.save(update_fields=["user"])
        add_organisation_member(
            organisation=ledger.scouting, participant=ledger.carla, by=cast.a.broker.user
        )
        issuing = Account.objects.get(organisation=ledger.scouting)
    listed = _api(cast.a, member).get(ACCOUNTS).json()["results"]
    assert [(a["id"], a["kind"], a["balance"]) for a in listed] == [
        (issuing.pk, "organisation_issuing", "-2.00")
    ]


def test_staff_see_every_account_and_their_reads_are_audited(cast, ledger) -> None:
    _rewarded(cast.a, ledger, ledger.ans, ledger.bert)
    broker = _api(cast.a, cast.a.broker)
    listed = broker.get(ACCOUNTS).json()["results"]
    assert len(listed) == 3
    ans = next(a for a in listed if a["owner"] == "Ans")
    assert broker.get(f"{ACCOUNTS}{ans['id']}/statement/").status_code == 200
    with tenant_context(cast.a.neighbourhood):
        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"credit_account_list.viewed", "credit_statement.viewed"} <= actions


def test_staff_reward_and_thank_through_the_api_once_per_key(cast, ledger) -> None:
    broker = _api(cast.a, cast.a.broker)
    reward = {
        "kind": "reward",
        "recipients": [ledger.ans.pk, ledger.bert.pk],
        "organisation": ledger.scouting.pk,
        "amount": "1.5",
        "description": "Buurtfeest opgebouwd",
        "idempotency_key": "feest-1",
    }
    first = _post(broker, TRANSFERS, reward)
    again = _post(broker, TRANSFERS, reward)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert sorted(m["amount"] for m in first.json()["movements"]) == ["-3.00", "1.50", "1.50"]

    gift = {
        "kind": "gift",
        "giver": ledger.ans.pk,
        "receiver": ledger.carla.pk,
        "amount": "1",
        "description": "Bedankt voor de koffie",
    }
    made = _post(broker, TRANSFERS, gift)
    assert made.status_code == 201 and made.json()["on_behalf_of"] == ledger.ans.pk
    reversed_ = _post(broker, f"{TRANSFERS}{made.json()['id']}/reverse/", {"reason": "Dubbel"})
    assert reversed_.status_code == 201 and reversed_.json()["reverses"] == made.json()["id"]
    assert broker.get(f"{TRANSFERS}{made.json()['id']}/").json()["kind"] == "gift"
    assert len(broker.get(TRANSFERS).json()["results"]) == 3
    with tenant_context(cast.a.neighbourhood):
        assert_ledger_invariants()


def test_a_transfers_movements_list_what_leaves_before_what_arrives(cast, ledger) -> None:
    # given a reward to two people, named in the reverse order of their accounts
    _rewarded(cast.a, ledger, ledger.ans)
    reward = _rewarded(cast.a, ledger, ledger.bert, ledger.ans)
    with tenant_context(cast.a.neighbourhood):
        issuing = Account.objects.get(kind="organisation_issuing").pk
        ans, bert = (Account.objects.get(participant=p).pk for p in (ledger.ans, ledger.bert))
    broker = _api(cast.a, cast.a.broker)
    reversal = _post(broker, f"{TRANSFERS}{reward.pk}/reverse/", {"reason": "Dubbel"}).json()

    def movements(transfer: dict) -> list[tuple[int, str]]:  # type: ignore[type-arg]
        return [(m["account"], m["amount"]) for m in transfer["movements"]]

    # then the issuing account's part comes first, the recipients after it by account
    assert movements(broker.get(f"{TRANSFERS}{reward.pk}/").json()) == [
        (issuing, "-4.00"),
        (ans, "2.00"),
        (bert, "2.00"),
    ]
    # and a reversal lists what goes back before where it arrives
    assert movements(reversal) == [(ans, "-2.00"), (bert, "-2.00"), (issuing, "4.00")]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-2"}, "amount"),
        ({"amount": "0.3"}, "amount"),
        ({"amount": "0.1234567"}, "amount"),
        ({"amount": "5000"}, "amount"),
        ({"amount": "2", "receiver": "giver"}, "receiver"),
        ({"amount": "3"}, "amount"),  # more than the balance
        ({"description": ""}, "description"),
        ({"giver": None}, "giver"),
        ({"kind": "expiry"}, "kind"),
    ],
)
def test_a_refused_transfer_is_a_400_naming_the_field(cast, ledger, changes, field) -> None:
    _rewarded(cast.a, ledger, ledger.ans)
    gift = {
        "kind": "gift",
        "giver": ledger.ans.pk,
        "receiver": ledger.bert.pk,
        "amount": "1",
        "description": "Dank",
    }
    gift.update(changes)
    if gift.get("receiver") == "giver":
        gift["receiver"] = ledger.ans.pk
    gift = {k: v for k, v in gift.items() if v is not None}
    response = _post(_api(cast.a, cast.a.broker), TRANSFERS, gift)
    assert response.status_code == 400
    assert list(response.json()) == [field], response.json()


def test_a_reward_refusal_names_the_endpoints_amount_field(cast, ledger) -> None:
    reward = {"kind": "reward", "recipients": [ledger.ans.pk], "amount": "0", "description": "x"}
    response = _post(_api(cast.a, cast.a.broker), TRANSFERS, reward)
    assert (response.status_code, list(response.json())) == (400, ["amount"])
    nobody = {**reward, "amount": "1", "recipients": []}
    response = _post(_api(cast.a, cast.a.broker), TRANSFERS, nobody)
    assert (response.status_code, list(response.json())) == (400, ["recipients"])


def test_every_credits_endpoint_is_a_404_while_credits_are_off(cast, ledger) -> None:
    transfer = _rewarded(cast.a, ledger, ledger.ans)
    with tenant_context(cast.a.neighbourhood):
        account = Account.objects.get(participant=ledger.ans)
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    reads = [
        ACCOUNTS,
        f"{ACCOUNTS}{account.pk}/",
        f"{ACCOUNTS}{account.pk}/statement/",
        TRANSFERS,
        f"{TRANSFERS}{transfer.pk}/",
    ]
    writes = [TRANSFERS, f"{TRANSFERS}{transfer.pk}/reverse/"]
    for client in (
        _api(cast.a, cast.a.admin),
        _api(cast.a, cast.a.resident),
        Client(HTTP_HOST=cast.a.host),
    ):
        for path in reads:
            assert client.get(path).status_code == 404, path
        for path in writes:
            assert _post(client, path, {"reason": "x"}).status_code == 404, path
    with tenant_context(cast.a.neighbourhood):
        assert Transfer.objects.count() == 1  # kept, not shown


def test_an_account_or_transfer_of_one_neighbourhood_is_unknown_in_another(cast, ledger) -> None:
    transfer = _rewarded(cast.a, ledger, ledger.ans)
    with tenant_context(cast.a.neighbourhood):
        account = Account.objects.get(participant=ledger.ans)
    set_credits(cast.b.neighbourhood, cast.b.admin.user, credits_enabled=True)
    other = _api(cast.b, cast.b.admin)
    assert other.get(f"{ACCOUNTS}{account.pk}/").status_code == 404
    assert other.get(f"{TRANSFERS}{transfer.pk}/").status_code == 404
    assert other.get(ACCOUNTS).json()["results"] == []
    stranger = client_for(cast.b.host).get(
        ACCOUNTS, HTTP_AUTHORIZATION=f"Token {cast.a.admin.token}"
    )
    assert stranger.status_code in (401, 403)


def test_the_schema_describes_the_credits_endpoints(cast, credits_on) -> None:
    schema = Client(HTTP_HOST=cast.a.host).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert {
        ACCOUNTS,
        f"{ACCOUNTS}{{id}}/",
        f"{ACCOUNTS}{{id}}/statement/",
        TRANSFERS,
        f"{TRANSFERS}{{id}}/",
        f"{TRANSFERS}{{id}}/reverse/",
    } <= set(paths)
    create = paths[TRANSFERS]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert create["$ref"].endswith("/TransferInputRequest")
    statement = paths[f"{ACCOUNTS}{{id}}/statement/"]["get"]["responses"]["200"]
    assert "StatementLine" in str(statement)
