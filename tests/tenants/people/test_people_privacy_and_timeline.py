"""Export and erasure of a participant, and the timeline entries every app contributes."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.market import timeline as market_timeline
from tenants.market.models import Ad, AdStatus, Category, Response
from tenants.market.services.ads import place_ad
from tenants.mediations import timeline as mediations_timeline
from tenants.mediations.models import Mediation
from tenants.mediations.services import start_mediation
from tenants.people import timeline as people_timeline
from tenants.people.models import ConductCertificate, Note, Participant, ParticipantProfile
from tenants.people.services.consents import give_consent, update_profile
from tenants.people.services.messages import notify_participant
from tenants.people.services.participants import register_participant
from tenants.people.services.privacy import erase_participant, erased_name
from tenants.people.services.records import add_note, record_conduct_certificate
from tenants.people.timeline import timeline_for
from tijdvoorelkaar.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def _ad(participant: Participant, title: str) -> Ad:
    """A request placed by the broker for `participant`: published at once."""
    return place_ad(
        participant=participant,
        kind="request",
        title=title,
        body=f"{title}, graag iemand uit de buurt.",
        category=Category.objects.first(),
        placed_by_broker=User.objects.filter(role=Role.BROKER).first(),
    )


def _life(place, participant: Participant, n: int) -> None:  # type: ignore[no-untyped-def]
    """Ads, responses, mediations, notes and a certificate for `participant`."""
    for number in range(n):
        ad = _ad(participant, f"Boodschappen {number}")
        neighbour = register_participant(display_name=f"Buur {number}")
        other_ad = _ad(neighbour, f"Hulp bij tuin {number}")
        Response.objects.create(ad=other_ad, responder=participant, message="Ik help graag!")
        start_mediation(requester=participant, provider=neighbour, ads=[ad], active=True)
        start_mediation(requester=neighbour, provider=participant, active=False)
        add_note(participant=participant, author=place.broker.user, text=f"Notitie {number}")
        record_conduct_certificate(
            participant=participant, seen_on=datetime.date(2025, 5, 1), recorded_by=None
        )


def test_each_apps_timeline_runs_a_fixed_number_of_queries(cast, enrol) -> None:
    participant = enrol(cast.a, display_name="Mien", email="mien@example.test")
    with tenant_context(cast.a.neighbourhood):
        participant = Participant.objects.select_related("registered_by").get(pk=participant.pk)
        counts = {}
        for size in (1, 8):
            _life(cast.a, participant, size if size == 1 else 7)
            for module in (people_timeline, market_timeline, mediations_timeline):
                with CaptureQueriesContext(connection) as captured:
                    module.TIMELINE.entries_for(participant)
                counts.setdefault(module.__name__, set()).add(len(captured))
            with CaptureQueriesContext(connection) as captured:
                timeline_for(participant)
            counts.setdefault("every app", set()).add(len(captured))
        assert all(len(found) == 1 for found in counts.values()), counts
        # Every app's reads, the people app's own included, in one statement.
        assert counts["every app"] == {1}, counts
        entries = timeline_for(participant)
        kinds = [entry.kind for entry in entries]
        assert kinds.count("ad") == 8 and kinds.count("response") == 8
        assert kinds.count("mediation") == 16 and kinds.count("note") == 8
        assert kinds[-1] == "registered"
        assert entries == sorted(entries, key=lambda e: e.at, reverse=True)
        titles = " ".join(entry.title for entry in entries)
        assert "Buur 3" in titles and "Hulp bij tuin 3" in titles


def test_the_export_holds_everything_kept_about_them(cast, enrol) -> None:
    participant = enrol(
        cast.a, display_name="Mien", email="mien@example.test", street_address="Lunettenlaan 3"
    )
    client = cast.a.client(cast.a.broker)
    with tenant_context(cast.a.neighbourhood):
        _life(cast.a, participant, 1)
        give_consent(participant=participant, topic="self_reported", recorded_by=None)
        update_profile(participant=participant, changed_by=None, paid_work="no")
    response = client.get(f"/broker/participants/{participant.pk}/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["participant"]["street_address"] == "Lunettenlaan 3"
    assert {c["topic"] for c in data["consents"]} == {"registration", "self_reported"}
    assert data["self_reported"]["paid_work"] == "no"
    assert data["notes"][0]["text"] == "Notitie 0"
    assert data["ads"][0]["title"] == "Boodschappen 0"
    assert data["responses"][0]["message"] == "Ik help graag!"
    assert {m["role"] for m in data["mediations"]} == {"requester", "provider"}
    assert data["certificates_of_conduct"][0]["seen_on"] == "2025-05-01"
    with tenant_context(cast.a.neighbourhood):
        assert AuditEvent.objects.filter(
            action="participant.exported", target_id=str(participant.pk)
        ).exists()


def test_erasure_anonymises_and_keeps_the_counts(cast, enrol) -> None:
    participant = enrol(
        cast.a,
        display_name="Mien",
        full_name="Mien Jansen",
        email="mien@example.test",
        phone="0612345678",
        introduction="Ik woon al veertig jaar in Tolsteeg.",
        contact_person_name="Kees Jansen",
        consents=("registration", "self_reported"),
    )
    client = cast.a.client(cast.a.broker)
    with tenant_context(cast.a.neighbourhood):
        account = User.objects.create_user("mien@example.test", None, role=Role.RESIDENT)
        Participant.objects.filter(pk=participant.pk).update(user=account)
        _life(cast.a, participant, 2)
        update_profile(participant=participant, changed_by=None, gender="woman")
        mediations_before = Mediation.objects.count()
    url = f"/broker/participants/{participant.pk}/erase/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"confirmation": "erase it"}).status_code == 400
    with tenant_context(cast.a.neighbourhood):
        assert Participant.objects.get(pk=participant.pk).erased_at is None
    assert client.post(url, {"confirmation": "ERASE"}).status_code == 302
    with tenant_context(cast.a.neighbourhood):
        participant.refresh_from_db()
        assert participant.display_name == erased_name(participant.pk)
        assert participant.display_name in (
            f"Erased participant {participant.pk}",
            f"Gewiste deelnemer {participant.pk}",
        )
        assert participant.full_name == participant.display_name
        assert (participant.email, participant.phone, participant.introduction) == ("", "", "")
        assert participant.contact_person_name == "" and participant.erased_at is not None
        assert not Note.objects.filter(participant=participant).exists()
        assert not ParticipantProfile.objects.filter(participant=participant).exists()
        assert not ConductCertificate.objects.filter(participant=participant).exists()
        ads = Ad.objects.filter(participant=participant)
        assert ads.count() == 2
        assert set(ads.values_list("status", "title", "body")) == {(AdStatus.CLOSED, "", "")}
        assert set(
            Response.objects.filter(responder=participant).values_list("message", flat=True)
        ) == {""}
        assert Mediation.objects.count() == mediations_before
        assert participant.consents.count() == 2  # the record of what was agreed stays
        account.refresh_from_db()
        assert not account.is_active and "mien" not in account.email
        event = AuditEvent.objects.get(action="participant.erased")
        assert event.detail["notes"] == 2 and event.detail["ads"] == 2
        assert event.detail["ads_closed"] == 2
        ad_ids = [str(pk) for pk in ads.values_list("pk", flat=True)]
        closed = AuditEvent.objects.filter(action="ad.closed_for", target_id__in=ad_ids)
        assert closed.count() == 2  # closed through the marketplace's own service
        with pytest.raises(ValidationError):
            erase_participant(participant=participant, erased_by=None, confirmation="ERASE")
        assert Participant.objects.filter(pk=participant.pk).exists()
    page = client.get(f"/broker/participants/{participant.pk}/").content.decode()
    assert "mien@example.test" not in page and "Tolsteeg" not in page


def test_the_profile_needs_the_consent_and_goes_with_its_withdrawal(cast, enrol) -> None:
    participant = enrol(cast.a)
    client = cast.a.client(cast.a.broker)
    url = f"/broker/participants/{participant.pk}/profile/"
    assert client.post(url, {"gender": "man"}).status_code == 400
    client.post(
        f"/broker/participants/{participant.pk}/consents/",
        {"topic": "self_reported", "action": "give"},
    )
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"gender": "man", "born_abroad": "yes", "age_band": "65_74"}).status_code
        == 302
    )
    assert client.post(url, {"gender": "robot"}).status_code == 400
    with tenant_context(cast.a.neighbourhood):
        assert ParticipantProfile.objects.get(participant=participant).born_abroad == "yes"
        assert ParticipantProfile.objects.get(participant=participant).age_band == "65_74"
    client.post(
        f"/broker/participants/{participant.pk}/consents/",
        {"topic": "self_reported", "action": "withdraw", "confirmed": "on"},
    )
    with tenant_context(cast.a.neighbourhood):
        assert not ParticipantProfile.objects.filter(participant=participant).exists()


def test_a_held_message_stays_until_passed_on_even_after_many(cast, enrol) -> None:
    participant = enrol(cast.a, display_name="Truus")
    with tenant_context(cast.a.neighbourhood):
        for number in range(3):
            notify_participant(participant=participant, subject=f"s{number}", body="b", purpose="t")
        from tenants.people.selectors import pending_held_messages

        pending = list(pending_held_messages())
        assert [m.subject for m in pending] == ["s0", "s1", "s2"]
        assert pending[0].created_at <= timezone.now()


@pytest.mark.parametrize(
    ("language", "word", "refused"), [("nl", "wissen", "DELETE"), ("en", "erase", "WISSEN")]
)
def test_the_erasure_asks_for_the_word_of_the_page_language(
    cast, enrol, language: str, word: str, refused: str
) -> None:
    participant = enrol(cast.a, display_name="Mien")
    client = cast.a.client(cast.a.broker)
    url = f"/broker/participants/{participant.pk}/erase/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"{word.upper()} " in page  # "Typ WISSEN ter bevestiging" / "Type ERASE to confirm"
    wrong = client.post(url, {"confirmation": refused}, HTTP_ACCEPT_LANGUAGE=language)
    assert wrong.status_code == 400 and word.upper() in wrong.content.decode()
    done = client.post(url, {"confirmation": word}, HTTP_ACCEPT_LANGUAGE=language)
    assert done.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        participant.refresh_from_db()
    assert participant.erased_at is not None
