"""Responding to an ad through the page: relayed without addresses, held for the broker when
the owner is matched only through them, a mediation opened per response; the owner's reply;
honeypot, rate limits and bad input."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.market.models import AdStatus, Response
from tenants.market.services.ads import close_ad
from tenants.mediations.models import FollowUp, Mediation
from tenants.people.models import HeldMessage, Participant
from tenants.people.sessions import SESSION_KEY
from tests.support.factories import (
    OWNER_EMAIL,
    RESPONDER_EMAIL,
    RESPONDER_PHONE,
    published_ad,
    respond_form,
)
from tests.support.outbox import link_in, mails_to

pytestmark = pytest.mark.django_db


def _respond(cast, ad, **changes):  # type: ignore[no-untyped-def]
    return cast.a.client().post(f"/ads/{ad.pk}/respond/", respond_form(**changes))


def test_the_form_is_shown_for_a_published_ad_only(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
        closed = close_ad(ad=published_ad(email="closed@example.org"))
    client = cast.a.client()
    page = client.get(f"/ads/{ad.pk}/respond/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="message"' in html and 'tabindex="-1"' in html and 'aria-hidden="true"' in html
    assert OWNER_EMAIL not in html
    assert client.get(f"/ads/{closed.pk}/respond/").status_code == 404
    assert client.post(f"/ads/{closed.pk}/respond/", respond_form()).status_code == 404
    assert client.get("/ads/999999/respond/").status_code == 404


def test_a_response_is_relayed_without_the_responders_address(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    answer = _respond(cast, ad, phone=RESPONDER_PHONE)
    assert answer.status_code == 302 and answer["Location"] == f"/ads/{ad.pk}/respond/sent/"
    sent = cast.a.client().get(answer["Location"])
    assert sent.status_code == 200
    with tenant_context(cast.a.neighbourhood):
        response = Response.objects.get(ad=ad)
        assert response.message == "Ik kan zaterdag helpen met snoeien."
        assert response.relayed_at is not None and not response.held_for_broker
        [relayed] = mails_to(OWNER_EMAIL)
        assert "Ik kan zaterdag helpen met snoeien." in relayed.body
        assert "Bert" in relayed.body
        assert RESPONDER_EMAIL not in relayed.body and "9876" not in relayed.body
        assert RESPONDER_EMAIL not in relayed.subject
        assert "/responses/" in relayed.body
        assert "reactie" in relayed.subject.lower()  # the owner's language: Dutch
        assert not mails_to(RESPONDER_EMAIL)  # nothing of the owner's goes out yet


def test_each_response_opens_a_mediation_found_via_the_site(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        offer = published_ad(kind="offer")
        request = published_ad(kind="request", email="carla@example.org", name="Carla")
    _respond(cast, offer)
    _respond(cast, request)
    with tenant_context(cast.a.neighbourhood):
        responder = Participant.objects.get(email=RESPONDER_EMAIL)
        on_offer = Mediation.objects.get(response__ad=offer)
        assert (on_offer.requester, on_offer.provider) == (responder, offer.participant)
        assert not on_offer.active and on_offer.status == "open"
        assert list(on_offer.ads.all()) == [offer]
        on_request = Mediation.objects.get(response__ad=request)
        assert (on_request.requester, on_request.provider) == (request.participant, responder)
        follow_up = FollowUp.objects.get(mediation=on_offer)
        assert follow_up.kind == FollowUp.Kind.ASK_PARTICIPANTS
        assert follow_up.due_on == timezone.localdate() + datetime.timedelta(weeks=2)
        # The same responder (found again by address) is one participant.
        assert on_request.provider_id == on_offer.requester_id


def test_an_owner_matched_only_through_the_broker_never_gets_the_response(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad(through_broker_only=True)
    assert _respond(cast, ad, phone=RESPONDER_PHONE).status_code == 302
    with tenant_context(cast.a.neighbourhood):
        response = Response.objects.get(ad=ad)
        assert response.held_for_broker
        assert not mails_to(OWNER_EMAIL)
        [to_broker] = mails_to(cast.a.broker.user.email, purpose="market.response_held")
        for secret in (RESPONDER_EMAIL, "9876", OWNER_EMAIL, response.message):
            assert secret not in to_broker.body
        assert "/broker/" in to_broker.body
        assert Mediation.objects.filter(response=response).exists()


def test_an_offline_owners_response_is_held_on_the_brokers_dashboard(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad(email="", phone="030 123 4567", placed_by_broker=cast.a.broker.user)
        assert ad.status == AdStatus.PUBLISHED
    _respond(cast, ad)
    with tenant_context(cast.a.neighbourhood):
        held = HeldMessage.objects.get(participant=ad.participant)
        assert "Ik kan zaterdag helpen met snoeien." in held.body
        assert RESPONDER_EMAIL not in held.body and "/responses/" in held.body
        assert not Response.objects.get(ad=ad).held_for_broker


def test_the_owner_replies_and_only_then_the_addresses_are_shared(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad(phone="06 1111 2222")
    _respond(cast, ad, message="<script>alert(1)</script> Ik help graag!")
    with tenant_context(cast.a.neighbourhood):
        reply_path = link_in(mails_to(OWNER_EMAIL)[0].body, "/responses/")
    owner = cast.a.client()
    page = owner.get(reply_path).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert RESPONDER_EMAIL not in page
    assert 'name="share_email"' in page and 'name="share_phone"' in page

    refused = owner.post(reply_path, {"message": "Graag!"})  # nothing ticked to share
    assert refused.status_code == 400
    answer = owner.post(reply_path, {"message": "Graag, kom zaterdag!", "share_email": "on"})
    assert answer.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        [reply] = mails_to(RESPONDER_EMAIL)
        assert "Graag, kom zaterdag!" in reply.body and OWNER_EMAIL in reply.body
        assert "0611112222" not in reply.body  # the phone was not ticked
        assert Response.objects.get(ad=ad).owner_replied_at is not None

    again = owner.get(reply_path)
    assert again.status_code == 200 and RESPONDER_EMAIL in again.content.decode()
    assert 'name="message"' not in again.content.decode()
    assert owner.post(reply_path, {"message": "Nog eens", "share_email": "on"}).status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert len(mails_to(RESPONDER_EMAIL)) == 1


def test_a_forged_or_foreign_reply_link_shows_nothing(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    _respond(cast, ad)
    with tenant_context(cast.a.neighbourhood):
        reply_path = link_in(mails_to(OWNER_EMAIL)[0].body, "/responses/")
    assert cast.a.client().get("/responses/x-x/reply/").status_code == 404
    assert cast.a.client().get(reply_path[:-8] + "AAAA/reply/").status_code == 404
    # The same link at neighbourhood B: signed for A's schema only.
    assert cast.b.client().get(reply_path).status_code == 404


def test_the_owner_reply_comes_in_the_responders_language(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad(language="en")
    cast.a.client().post(f"/ads/{ad.pk}/respond/", respond_form(), HTTP_ACCEPT_LANGUAGE="en")
    with tenant_context(cast.a.neighbourhood):
        [relayed] = mails_to(OWNER_EMAIL)
        assert "response" in relayed.subject.lower() and "Hello Ans" in relayed.body


def test_a_signed_in_participant_cannot_respond_to_their_own_ad(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    client = cast.a.client()
    with tenant_context(cast.a.neighbourhood):  # sessions live in the neighbourhood's schema
        session = client.session
        session[SESSION_KEY] = ad.participant_id
        session.save()
    assert client.get(f"/ads/{ad.pk}/respond/").status_code == 403
    assert client.post(f"/ads/{ad.pk}/respond/", respond_form()).status_code == 403
    with tenant_context(cast.a.neighbourhood):
        assert not Response.objects.exists()


def test_someone_typing_the_owners_address_learns_nothing_and_stores_nothing(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    answer = _respond(cast, ad, email=OWNER_EMAIL)
    assert answer.status_code == 302  # the same answer as for anyone else
    with tenant_context(cast.a.neighbourhood):
        assert not Response.objects.exists() and not Mediation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"message": "   "}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"display_name": ""}, "display_name"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "geen-adres"}, "email"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(cast, changes, field) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    answer = _respond(cast, ad, **changes)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert f'href="#id_{field}"' in html and 'aria-invalid="true"' in html
    with tenant_context(cast.a.neighbourhood):
        assert not Response.objects.exists() and not mails_to(OWNER_EMAIL)


def test_a_filled_honeypot_pretends_success_and_stores_nothing(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    answer = _respond(cast, ad, website="http://spam.example")
    assert answer.status_code == 302 and answer["Location"].endswith("/respond/sent/")
    with tenant_context(cast.a.neighbourhood):
        assert not Response.objects.exists() and not mails_to(OWNER_EMAIL)


def test_responses_are_limited_per_address(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    for n in range(5):
        assert _respond(cast, ad, message=f"Bericht {n}").status_code == 302
    limited = _respond(cast, ad, message="Nog een")
    assert limited.status_code == 429
    assert "uur" in limited.content.decode() or "hour" in limited.content.decode()
    assert _respond(cast, ad, email="iemand.anders@example.org").status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert Response.objects.count() == 6


def test_responses_are_limited_per_ip_address(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    for n in range(10):
        assert _respond(cast, ad, email=f"buur{n}@example.org").status_code == 302
    assert _respond(cast, ad, email="buur99@example.org").status_code == 429
    other_ip = cast.a.client().post(
        f"/ads/{ad.pk}/respond/", respond_form(email="buur100@example.org"), REMOTE_ADDR="10.0.0.9"
    )
    assert other_ip.status_code == 302


def test_the_demo_responses_tolerate_no_ads_and_respond_to_published_ones(cast) -> None:
    from tenants.responding.demo import add_demo_responses

    with tenant_context(cast.a.neighbourhood):
        add_demo_responses(cast.a.neighbourhood)
        assert not Response.objects.exists()
        published_ad()
        published_ad(email="tweede@example.org")
        add_demo_responses(cast.a.neighbourhood)
        assert Response.objects.count() == 2 and Mediation.objects.count() == 2
