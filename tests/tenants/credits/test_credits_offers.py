"""Redemption offers: redeeming moves the price to the provider in one transfer and counts
the stock down; every refusal; the pages and the API per role; isolation; 404 while off."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from tenants.credits.models import Account, Offer, Redemption, Transfer
from tenants.credits.naming import credits_text
from tenants.credits.offers import create_offer, redeem_offer, withdraw_offer
from tenants.credits.selectors import balance
from tenants.credits.services import reward_participants
from tenants.organisations.services import add_organisation_member, create_organisation
from tenants.people.sessions import SESSION_KEY
from tests.support import factories
from tests.support.cast import client_for
from tests.support.credits import assert_ledger_invariants, set_credits

pytestmark = pytest.mark.django_db
D = Decimal
OFFERS = "/api/v1/credits/offers/"


def _fund(place, *people, amount="5"):  # type: ignore[no-untyped-def]
    reward_participants(
        recipients=list(people), amount_each=D(amount), by=place.broker.user, description="Start"
    )


def _offer(place, ledger, **fields):  # type: ignore[no-untyped-def]
    values = {"title": "Kopje thee", "price": D(2)} | fields
    return create_offer(provider=ledger.scouting, by=place.broker.user, **values)


def _balance_of(**owner) -> Decimal:  # type: ignore[no-untyped-def]
    account = Account.objects.filter(**owner).first()
    return balance(account) if account else D(0)


def _member_of(place, organisation, participant, email="winkel@example.org"):  # type: ignore[no-untyped-def]
    member = factories.organisation_member(email=email)
    participant.user = member.user
    participant.save(update_fields=["user"])
    add_organisation_member(
        organisation=organisation, participant=participant, by=place.broker.user
    )
    return member


def _signed_in(place, participant) -> Client:  # type: ignore[no-untyped-def]
    client = place.client()
    with tenant_context(place.neighbourhood):
        session = client.session
        session[SESSION_KEY] = participant.pk
        session.save()
    return client


def test_redeeming_moves_the_price_to_the_provider_and_counts_the_stock_down(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _fund(cast.a, ledger.ans)
        offer = _offer(cast.a, ledger, stock=2)
        redemption = redeem_offer(offer=offer, participant=ledger.ans, by=cast.a.broker.user)

        assert redemption.transfer.kind == Transfer.Kind.REDEMPTION
        assert redemption.transfer.on_behalf_of == ledger.ans  # the broker acted for her
        assert _balance_of(participant=ledger.ans) == D(3)
        assert _balance_of(organisation=ledger.scouting, kind="organisation") == D(2)
        assert Offer.objects.get(pk=offer.pk).stock == 1
        assert_ledger_invariants()


def test_every_refusal_leaves_the_ledger_and_the_stock_as_they_were(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _fund(cast.a, ledger.ans, amount="3")
        dear = _offer(cast.a, ledger, title="Cursus", price=D(5))
        last = _offer(cast.a, ledger, title="Laatste", stock=1)
        redeem_offer(offer=last, participant=ledger.ans, by=None)
        gone = _offer(cast.a, ledger, title="Weg")
        withdraw_offer(offer=gone, by=cast.a.broker.user)
        ended = _offer(cast.a, ledger, title="Voorbij")
        Offer.objects.filter(pk=ended.pk).update(
            ends_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        transfers = Transfer.objects.count()
        for offer, field, words in (
            (dear, "amount", "balance"),
            (last, "offer", "sold out"),
            (gone, "offer", "no longer"),
            (ended, "offer", "no longer"),
        ):
            with pytest.raises(ValidationError) as refused:
                redeem_offer(offer=offer, participant=ledger.ans, by=None)
            assert words in refused.value.message_dict[field][0]
        assert Transfer.objects.count() == transfers
        assert Offer.objects.get(pk=last.pk).stock == 0
        assert_ledger_invariants()


def test_an_offer_is_checked_and_made_only_for_ones_own_organisation(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        member = _member_of(cast.a, ledger.scouting, ledger.carla)
        other = create_organisation(by=cast.a.broker.user, name="Bakkerij")
        assert create_offer(provider=ledger.scouting, title="Thee", price=D(1), by=member.user)
        for changes, field in (
            ({"provider": other}, "provider"),
            ({"price": D("0.1")}, "price"),
            ({"price": D(0)}, "price"),
            ({"title": " "}, "title"),
            ({"stock": 0}, "stock"),
            ({"ends_on": timezone.localdate() - datetime.timedelta(days=1)}, "ends_on"),
        ):
            values = {"provider": ledger.scouting, "title": "x", "price": D(1)} | changes
            with pytest.raises(ValidationError) as refused:
                create_offer(by=member.user, **values)
            assert field in refused.value.message_dict


def test_a_double_submission_redeems_once(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _fund(cast.a, ledger.ans)
        offer = _offer(cast.a, ledger, stock=5)
        first = redeem_offer(offer=offer, participant=ledger.ans, by=None, idempotency_key="k")
        again = redeem_offer(offer=offer, participant=ledger.ans, by=None, idempotency_key="k")
        assert first.pk == again.pk
        assert Offer.objects.get(pk=offer.pk).stock == 4
        assert _balance_of(participant=ledger.ans) == D(3)


def test_nothing_is_redeemed_while_credits_are_off(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _fund(cast.a, ledger.ans)
        offer = _offer(cast.a, ledger)
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    with tenant_context(cast.a.neighbourhood), pytest.raises(ValidationError) as refused:
        redeem_offer(offer=offer, participant=ledger.ans, by=None)
    assert "credits_enabled" in refused.value.message_dict


# -- Pages ---------------------------------------------------------------------------------


def test_a_resident_signed_in_by_a_link_redeems_on_the_page(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _fund(cast.a, ledger.ans)
        offer = _offer(cast.a, ledger)
    client = _signed_in(cast.a, ledger.ans)
    listed = client.get("/credits/offers/")
    assert "Kopje thee" in listed.content.decode() and "5 Roosjes" in listed.content.decode()
    form = client.get(f"/credits/offers/{offer.pk}/redeem/")
    assert form.status_code == 200
    key = form.context["form"].initial["idempotency_key"]
    done = client.post(f"/credits/offers/{offer.pk}/redeem/", {"idempotency_key": key})
    assert done.status_code == 302
    client.post(f"/credits/offers/{offer.pk}/redeem/", {"idempotency_key": key})  # double click
    with tenant_context(cast.a.neighbourhood):
        assert Redemption.objects.get().participant == ledger.ans
        assert _balance_of(participant=ledger.ans) == D(3)
    poor = client.post(f"/credits/offers/{offer.pk}/redeem/", {"idempotency_key": "other"})
    assert poor.status_code == 200 or poor.status_code == 302


def test_an_offer_beyond_the_balance_shows_what_is_short_instead_of_redeem(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _fund(cast.a, ledger.ans, amount="1")
        cheap = _offer(cast.a, ledger, title="Kopje thee", price=D(1))
        dear = _offer(cast.a, ledger, title="Fietsreparatie", price=D(3))
        with translation.override("en"):
            short = f"You have {credits_text(D(1))}; this needs {credits_text(D(3))}."
    client = _signed_in(cast.a, ledger.ans)
    listed = client.get("/credits/offers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/credits/offers/{cheap.pk}/redeem/" in listed
    assert f"/credits/offers/{dear.pk}/redeem/" not in listed and short in listed
    # the server still refuses, whatever the page showed
    refused = client.post(f"/credits/offers/{dear.pk}/redeem/", {"idempotency_key": "k"})
    assert refused.status_code == 400
    with tenant_context(cast.a.neighbourhood):
        assert _balance_of(participant=ledger.ans) == D(1) and not Redemption.objects.exists()
    # the broker redeems on someone's behalf, so keeps the button
    broker = cast.a.client(cast.a.broker).get("/credits/offers/").content.decode()
    assert f"/credits/offers/{dear.pk}/redeem/" in broker


def test_the_broker_redeems_for_a_participant_and_a_refusal_keeps_the_form(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        _fund(cast.a, ledger.ans, amount="1")
        offer = _offer(cast.a, ledger)
    broker = client_for(cast.a.host, cast.a.neighbourhood, cast.a.broker)
    refused = broker.post(
        f"/credits/offers/{offer.pk}/redeem/",
        {"participant": ledger.ans.pk, "idempotency_key": "b1"},
    )
    assert refused.status_code == 400
    assert "saldo" in str(refused.context["form"].non_field_errors())  # the site speaks Dutch
    with tenant_context(cast.a.neighbourhood):
        _fund(cast.a, ledger.ans, amount="1")
    done = broker.post(
        f"/credits/offers/{offer.pk}/redeem/",
        {"participant": ledger.ans.pk, "idempotency_key": "b2"},
    )
    assert done.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert Redemption.objects.get().transfer.on_behalf_of == ledger.ans


def test_an_organisation_member_makes_an_offer_and_sees_what_was_redeemed(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        member = _member_of(cast.a, ledger.scouting, ledger.carla)
        outsider = factories.organisation_member(email="ander@example.org")
        _fund(cast.a, ledger.ans)
    client = client_for(cast.a.host, cast.a.neighbourhood, member)
    made = client.post(
        "/credits/offers/new/",
        {"provider": ledger.scouting.pk, "title": "Korting op de cursus", "price": "1.5"},
    )
    assert made.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        offer = Offer.objects.get()
        redeem_offer(offer=offer, participant=ledger.ans, by=None)
    received = client.get("/credits/offers/received/").content.decode()
    assert "Korting op de cursus" in received and "Ans" in received
    elsewhere = client_for(cast.a.host, cast.a.neighbourhood, outsider)
    assert "Korting" not in elsewhere.get("/credits/offers/received/").content.decode()
    bad = client.post(
        "/credits/offers/new/", {"provider": ledger.scouting.pk, "title": "x", "price": "0.3"}
    )
    assert bad.status_code == 400 and 'value="x"' in bad.content.decode()


def test_who_may_open_which_offer_page(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        offer = _offer(cast.a, ledger)
    anonymous = cast.a.client()
    assert anonymous.get("/credits/offers/").status_code == 200
    assert anonymous.get(f"/credits/offers/{offer.pk}/redeem/").status_code == 404
    assert anonymous.get("/credits/offers/new/").status_code in (302, 403)
    resident = client_for(cast.a.host, cast.a.neighbourhood, cast.a.resident)
    assert resident.get("/credits/offers/new/").status_code == 403
    assert resident.get("/credits/offers/received/").status_code == 403


def test_every_offer_page_and_endpoint_is_a_404_while_credits_are_off(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        offer = _offer(cast.a, ledger)
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    broker = client_for(cast.a.host, cast.a.neighbourhood, cast.a.broker)
    for path in (
        "/credits/offers/",
        "/credits/offers/new/",
        f"/credits/offers/{offer.pk}/redeem/",
        "/credits/offers/received/",
        OFFERS,
        f"{OFFERS}{offer.pk}/",
        "/api/v1/credits/redemptions/",
    ):
        assert broker.get(path).status_code == 404, path


def test_an_offer_of_a_is_unknown_at_b(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        offer = _offer(cast.a, ledger)
    set_credits(cast.b.neighbourhood, cast.b.admin.user, credits_enabled=True)
    broker_b = client_for(cast.b.host, cast.b.neighbourhood, cast.b.broker)
    assert broker_b.get(f"{OFFERS}{offer.pk}/").status_code == 404
    assert broker_b.get(f"/credits/offers/{offer.pk}/redeem/").status_code == 404
    assert broker_b.get(OFFERS).json()["results"] == []


# -- API -----------------------------------------------------------------------------------


def _post(client, path, data):  # type: ignore[no-untyped-def]
    return client.post(path, data, content_type="application/json")


def test_the_api_per_role(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        ledger.ans.user = cast.a.resident.user
        ledger.ans.save(update_fields=["user"])
        _fund(cast.a, ledger.ans, ledger.bert)
        member = _member_of(cast.a, ledger.scouting, ledger.carla)
        other = create_organisation(by=cast.a.broker.user, name="Bakkerij")
    org = client_for(cast.a.host, cast.a.neighbourhood, member)
    made = _post(org, OFFERS, {"provider": ledger.scouting.pk, "title": "Thee", "price": "2"})
    assert made.status_code == 201, made.json()
    offer = made.json()["id"]
    refused = _post(org, OFFERS, {"provider": other.pk, "title": "Thee", "price": "2"})
    assert refused.status_code == 400 and "provider" in refused.json()

    resident = client_for(cast.a.host, cast.a.neighbourhood, cast.a.resident)
    assert [o["title"] for o in resident.get(OFFERS).json()["results"]] == ["Thee"]
    assert (
        _post(
            resident, OFFERS, {"provider": ledger.scouting.pk, "title": "x", "price": "1"}
        ).status_code
        == 400
    )
    taken = _post(resident, f"{OFFERS}{offer}/redeem/", {"participant": ledger.bert.pk})
    assert taken.status_code == 201 and taken.json()["participant"] == ledger.ans.pk  # own only
    assert _post(resident, f"{OFFERS}{offer}/withdraw/", {}).status_code == 403

    broker = client_for(cast.a.host, cast.a.neighbourhood, cast.a.broker)
    assert "participant" in _post(broker, f"{OFFERS}{offer}/redeem/", {}).json()
    assert (
        _post(broker, f"{OFFERS}{offer}/redeem/", {"participant": ledger.bert.pk}).status_code
        == 201
    )
    assert (
        _post(
            broker,
            f"{OFFERS}{offer}/redeem/",
            {"participant": ledger.bert.pk, "idempotency_key": "x" * 65},
        ).status_code
        == 400
    )
    seen_by_org = org.get("/api/v1/credits/redemptions/").json()["results"]
    assert len(seen_by_org) == 2
    assert len(resident.get("/api/v1/credits/redemptions/").json()["results"]) == 1
    assert _post(org, f"{OFFERS}{offer}/withdraw/", {}).status_code == 200
    assert org.get(f"{OFFERS}{offer}/").status_code == 404
    with tenant_context(cast.a.neighbourhood):
        assert_ledger_invariants()


def test_prices_and_balances_read_as_dutch_writes_them_with_the_singular_for_one(
    cast, ledger
) -> None:
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credit_name_singular="Roosje")
    with tenant_context(cast.a.neighbourhood):
        _fund(cast.a, ledger.ans, amount="1.5")
        offer = _offer(cast.a, ledger, price=D(1))
    client = _signed_in(cast.a, ledger.ans)
    listed = client.get("/credits/offers/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "<strong>1 Roosje</strong>" in listed and "U heeft 1,5 Roosjes." in listed
    form = client.get(f"/credits/offers/{offer.pk}/redeem/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Dit kost 1 Roosje. Het bedrag gaat naar " in form.content.decode()
    assert "U heeft 1,5 Roosjes." in form.content.decode()
