"""'Did it work out?' two weeks after a response: both sides are asked (offline people
through the broker), a GET changes nothing, the answers make a match or not, and a later
"yes" corrects a "no"."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.mediations.models import Feedback, FollowUp, Mediation
from tenants.mediations.services import set_mediation_status
from tenants.people.models import HeldMessage
from tenants.responding import tasks
from tenants.responding.services.outcomes import ask_outcomes
from tests.support.factories import OWNER_EMAIL, RESPONDER_EMAIL, published_ad, respond_form
from tests.support.outbox import link_in, mails_to

pytestmark = pytest.mark.django_db

TWO_WEEKS_LATER = datetime.timedelta(days=15)


def _respond_and_wait(cast, **form):  # type: ignore[no-untyped-def]
    """A response now; returns the mediation. The caller travels two weeks."""
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    cast.a.client().post(f"/ads/{ad.pk}/respond/", respond_form(**form))
    with tenant_context(cast.a.neighbourhood):
        return Mediation.objects.get(response__ad=ad)


def _links(address: str) -> tuple[str, str]:
    [question] = mails_to(address, purpose="market.outcome")
    return link_in(question.body, "/outcome/"), link_in(
        question.body.split("/yes/", 1)[1], "/outcome/"
    )


def _status(mediation: Mediation) -> str:
    mediation.refresh_from_db()
    return mediation.status


def test_nothing_is_asked_before_two_weeks(cast) -> None:
    mediation = _respond_and_wait(cast)
    with tenant_context(cast.a.neighbourhood):
        assert ask_outcomes() == 0
        assert not mails_to(OWNER_EMAIL, purpose="market.outcome")
        assert FollowUp.objects.get(mediation=mediation).done_at is None


def test_both_sides_are_asked_once_and_a_yes_makes_a_match(cast) -> None:
    mediation = _respond_and_wait(cast)
    with time_machine.travel(timezone.now() + TWO_WEEKS_LATER):
        with tenant_context(cast.a.neighbourhood):
            assert tasks.ask_outcomes() == 1  # the task, as beat's fan-out runs it
            assert ask_outcomes() == 0  # done: not asked twice
            assert FollowUp.objects.get(mediation=mediation).done_at is not None
            owner_yes, owner_no = _links(OWNER_EMAIL)
            responder_yes, _ = _links(RESPONDER_EMAIL)
            assert owner_yes.endswith("/yes/") and owner_no.endswith("/no/")
            assert owner_yes.split("/")[2] == owner_no.split("/")[2]  # one token, two answers
            assert owner_yes != responder_yes

        client = cast.a.client()
        page = client.get(owner_yes)  # what a mail scanner does: nothing changes
        assert page.status_code == 200
        assert 'value="yes" checked' in page.content.decode()
        with tenant_context(cast.a.neighbourhood):
            assert not Feedback.objects.exists() and _status(mediation) == "open"

        answered = client.post(owner_yes, {"answer": "yes"})
        assert answered.status_code == 302
        thanks = client.get(answered["Location"]).content.decode()
        assert "/ads/" in thanks or 'class="button"' in thanks  # offers a new ad
        with tenant_context(cast.a.neighbourhood):
            assert _status(mediation) == "match"
            assert Feedback.objects.get().worked_out is True

        # Clicking again shows the recorded answer; the other side's "no" keeps the match.
        again = client.get(owner_yes)
        assert again.status_code == 200 and 'role="status"' in again.content.decode()
        client.post(responder_yes.replace("/yes/", "/no/"), {"answer": "no"})
        with tenant_context(cast.a.neighbourhood):
            assert _status(mediation) == "match" and Feedback.objects.count() == 2


def test_a_no_makes_no_match_and_a_later_yes_corrects_it(cast) -> None:
    mediation = _respond_and_wait(cast)
    with time_machine.travel(timezone.now() + TWO_WEEKS_LATER):
        with tenant_context(cast.a.neighbourhood):
            ask_outcomes()
            owner_yes, owner_no = _links(OWNER_EMAIL)
            responder_yes, responder_no = _links(RESPONDER_EMAIL)
        client = cast.a.client()
        client.post(owner_no, {"answer": "no"})
        with tenant_context(cast.a.neighbourhood):
            assert _status(mediation) == "no_match" and mediation.ended_on is not None
            assert Mediation.objects.get(pk=mediation.pk).reason in {
                "The participants answered: it did not work out.",
                "De deelnemers antwoordden: het is niet gelukt.",
            }
        client.post(responder_no, {"answer": "no"})
        with tenant_context(cast.a.neighbourhood):
            assert _status(mediation) == "no_match"
        client.post(responder_yes, {"answer": "yes"})  # the same link, a changed answer
        with tenant_context(cast.a.neighbourhood):
            assert _status(mediation) == "match" and mediation.ended_on is not None
            assert Feedback.objects.filter(worked_out=True).count() == 1


def test_an_offline_participants_question_waits_for_the_broker(cast) -> None:
    mediation = _respond_and_wait(cast, email="", phone="06 5555 4444", display_name="Cor")
    with time_machine.travel(timezone.now() + TWO_WEEKS_LATER):
        with tenant_context(cast.a.neighbourhood):
            ask_outcomes()
            held = HeldMessage.objects.get(
                participant=mediation.requester, purpose="market.outcome"
            )
            assert "/outcome/" in held.body
            assert len(mails_to(OWNER_EMAIL, purpose="market.outcome")) == 1


def test_an_ended_mediation_is_not_asked(cast) -> None:
    mediation = _respond_and_wait(cast)
    with tenant_context(cast.a.neighbourhood):
        set_mediation_status(
            mediation=mediation, status="cancelled", reason="Verhuisd", by=cast.a.broker.user
        )
    with time_machine.travel(timezone.now() + TWO_WEEKS_LATER):
        with tenant_context(cast.a.neighbourhood):
            assert ask_outcomes() == 0
            assert not mails_to(OWNER_EMAIL, purpose="market.outcome")


def test_unknown_expired_and_foreign_outcome_links_change_nothing(cast) -> None:
    mediation = _respond_and_wait(cast)
    with time_machine.travel(timezone.now() + TWO_WEEKS_LATER):
        with tenant_context(cast.a.neighbourhood):
            ask_outcomes()
            owner_yes, _ = _links(OWNER_EMAIL)
        assert cast.a.client().get("/outcome/x-x/yes/").status_code == 404
        assert cast.a.client().post("/outcome/x-x/yes/", {"answer": "yes"}).status_code == 404
        assert cast.b.client().post(owner_yes, {"answer": "yes"}).status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(days=50)):
        assert cast.a.client().get(owner_yes).status_code == 410
        assert cast.a.client().post(owner_yes, {"answer": "yes"}).status_code == 410
    with tenant_context(cast.a.neighbourhood):
        assert _status(mediation) == "open" and not Feedback.objects.exists()


def test_the_question_comes_in_each_persons_language(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad(language="en")
    cast.a.client().post(f"/ads/{ad.pk}/respond/", respond_form())  # the responder: Dutch
    with time_machine.travel(timezone.now() + TWO_WEEKS_LATER):
        with tenant_context(cast.a.neighbourhood):
            ask_outcomes()
            [to_owner] = mails_to(OWNER_EMAIL, purpose="market.outcome")
            [to_responder] = mails_to(RESPONDER_EMAIL, purpose="market.outcome")
            assert to_owner.subject == "Did it work out?"
            assert to_responder.subject != "Did it work out?" and "Hallo" in to_responder.body
