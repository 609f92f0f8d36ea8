"""The survey: asked two weeks after a match and once a year, answered with one click from the
mail without logging in, or entered from paper by the broker; answers apart from identity."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.mediations.models import MediationStatus
from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.people.models import HeldMessage
from tenants.people.services.privacy import ERASE_CONFIRMATION, erase_participant
from tenants.surveys import tasks
from tenants.surveys.models import Occasion, SurveyAnswer, SurveyInvitation
from tenants.surveys.services.invitations import invite, send_surveys
from tests.support.factories import participant
from tests.support.outbox import link_in, mails_to

pytestmark = pytest.mark.django_db

with translation.override("nl"):
    ALREADY_ANSWERED = translation.gettext("Already answered")  # the cast's sites speak Dutch

ANSWERS = {
    "satisfied_exchange": "yes",
    "satisfied_broker": "no",
    "neighbours": "2",
    "lasting_contact": "yes",
    "remark": "Fijn contact met de buren.",
}


def _match(cast, ended_days_ago: int = 14):  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        today = timezone.localdate()
        ann = participant("Ann", email="ann@example.test")
        bert = participant("Bert")  # no e-mail: held for the broker
        mediation = start_mediation(
            requester=ann,
            provider=bert,
            active=True,
            started_on=today - datetime.timedelta(days=30),
        )
        set_mediation_status(
            mediation=mediation,
            status=MediationStatus.MATCH,
            ended_on=today - datetime.timedelta(days=ended_days_ago),
        )
        return ann, bert, mediation


def _survey_link(cast) -> str:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        [mail] = mails_to("ann@example.test", purpose="survey")
        return link_in(mail.body, "/survey/")


def test_both_sides_of_a_match_are_asked_two_weeks_on_once(cast) -> None:
    ann, bert, _mediation = _match(cast, ended_days_ago=13)
    with tenant_context(cast.a.neighbourhood):
        assert send_surveys() == 0
        assert send_surveys(today=timezone.localdate() + datetime.timedelta(days=1)) == 2
        assert send_surveys(today=timezone.localdate() + datetime.timedelta(days=2)) == 0
        assert len(mails_to("ann@example.test", purpose="survey")) == 1
        assert HeldMessage.objects.filter(participant=bert, purpose="survey").count() == 1


def test_everyone_is_asked_once_a_year_around_the_day_they_registered(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        carla = participant("Carla", email="carla@example.test")
        registered = timezone.localdate(carla.created_at)  # the job counts local days
        assert send_surveys(today=registered + datetime.timedelta(days=30)) == 0  # not in year one
        anniversary = registered.replace(year=registered.year + 1) if registered.day != 29 else None
        if anniversary is None:
            return
        # noon of that local day: a bare date travels to midnight UTC, which is the day
        # before in Amsterdam, and around midnight the registration's UTC day is not its own
        at_noon = timezone.make_aware(datetime.datetime.combine(anniversary, datetime.time(12)))
        with time_machine.travel(at_noon):
            assert tasks.send_surveys() == 1  # the task, as beat's fan-out runs it
            assert tasks.send_surveys() == 0
        invitation = SurveyInvitation.objects.get(participant=carla)
        assert (invitation.occasion, invitation.round) == (
            Occasion.ANNUAL,
            f"year:{anniversary.year}",
        )


def test_a_participant_answers_with_one_click_and_no_login(cast) -> None:
    _match(cast)
    with tenant_context(cast.a.neighbourhood):
        send_surveys()
    path = _survey_link(cast)
    client = cast.a.client()
    page = client.get(path)
    assert page.status_code == 200 and "Ann" not in page.content.decode()
    assert client.post(path, ANSWERS).status_code == 302
    with tenant_context(cast.a.neighbourhood):
        answer = SurveyAnswer.objects.get()
        assert (answer.satisfied_exchange, answer.satisfied_broker, answer.neighbours) == (
            True,
            False,
            2,
        )
        assert answer.answered_on == timezone.localdate()
        assert SurveyInvitation.objects.get(participant__display_name="Ann").answered


def test_the_answer_row_holds_nothing_that_leads_to_the_person(cast) -> None:
    ann, _bert, _mediation = _match(cast)
    with tenant_context(cast.a.neighbourhood):
        send_surveys()
    cast.a.client().post(_survey_link(cast), ANSWERS)
    columns = {field.column for field in SurveyAnswer._meta.concrete_fields}
    assert not {"participant_id", "invitation_id", "created_at", "link_id"} & columns
    invitation_columns = {field.column for field in SurveyInvitation._meta.concrete_fields}
    assert not {"answer_id", "answered_at"} & invitation_columns
    assert columns == {
        "id",
        "answered_on",
        "occasion",
        "channel",
        "satisfied_exchange",
        "satisfied_broker",
        "neighbours",
        "lasting_contact",
        "remark",
    }
    with tenant_context(cast.a.neighbourhood):
        assert not AuditEvent.objects.filter(
            target_id=str(ann.pk), action__startswith="survey"
        ).exists()


def test_a_reused_old_or_forged_link_changes_nothing_and_says_nothing(cast) -> None:
    _match(cast)
    with tenant_context(cast.a.neighbourhood):
        send_surveys()
    path = _survey_link(cast)
    client = cast.a.client()
    client.post(path, ANSWERS)
    again = client.post(path, ANSWERS)
    assert again.status_code == 200 and ALREADY_ANSWERED in again.content.decode()
    forged = client.get("/survey/not-a-real-token/")
    assert forged.status_code == 404 and "Ann" not in forged.content.decode()
    with tenant_context(cast.a.neighbourhood):
        assert SurveyAnswer.objects.count() == 1
        dora = participant("Dora", email="dora@example.test")
        invite(
            participant=dora,
            occasion=Occasion.ANNUAL,
            round="year:2020",
            today=timezone.localdate(),
        )
        [mail] = mails_to("dora@example.test", purpose="survey")
    old = link_in(mail.body, "/survey/")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=60)):
        assert client.get(old).status_code == 410
        assert client.post(old, ANSWERS).status_code == 410
    with tenant_context(cast.a.neighbourhood):
        assert SurveyAnswer.objects.count() == 1
    assert cast.b.client().get(path).status_code == 404  # another neighbourhood knows nothing


def test_bad_answers_keep_the_input_and_save_nothing(cast) -> None:
    _match(cast)
    with tenant_context(cast.a.neighbourhood):
        send_surveys()
    path = _survey_link(cast)
    page = cast.a.client().post(path, ANSWERS | {"neighbours": "7"})
    assert page.status_code == 400 and "Fijn contact met de buren." in page.content.decode()
    with tenant_context(cast.a.neighbourhood):
        assert not SurveyAnswer.objects.exists()
    assert cast.a.client().get(path).status_code == 200  # the link still works


def test_the_broker_enters_a_paper_form_and_the_link_then_says_answered(cast) -> None:
    _match(cast)
    with tenant_context(cast.a.neighbourhood):
        send_surveys()
        invitation = SurveyInvitation.objects.get(participant__display_name="Ann")
    broker = cast.a.client(cast.a.broker)
    listing = broker.get("/broker/surveys/")
    assert listing.status_code == 200 and "Ann" in listing.content.decode()
    form = ANSWERS | {"answered_on": timezone.localdate().isoformat()}
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert (
        broker.post(
            f"/broker/surveys/{invitation.pk}/paper/", form | {"answered_on": tomorrow}
        ).status_code
        == 400
    )
    assert broker.post(f"/broker/surveys/{invitation.pk}/paper/", form).status_code == 302
    assert broker.get(f"/broker/surveys/{invitation.pk}/paper/").status_code == 404  # answered
    assert ALREADY_ANSWERED in cast.a.client().get(_survey_link(cast)).content.decode()
    with tenant_context(cast.a.neighbourhood):
        assert SurveyAnswer.objects.get().channel == "paper"
        assert AuditEvent.objects.filter(action="survey.paper_entered", target_id="").count() == 1
    assert cast.a.client(cast.a.resident).get("/broker/surveys/").status_code in (302, 403)
    assert (
        cast.b.client(cast.b.broker).get(f"/broker/surveys/{invitation.pk}/paper/").status_code
        == 404
    )


def test_reading_the_remarks_is_for_staff_and_audited(cast) -> None:
    _match(cast)
    with tenant_context(cast.a.neighbourhood):
        send_surveys()
    cast.a.client().post(_survey_link(cast), ANSWERS)
    page = cast.a.client(cast.a.broker).get("/broker/surveys/remarks/")
    assert "Fijn contact met de buren." in page.content.decode()
    api = cast.a.client(cast.a.broker).get("/api/v1/surveys/remarks/")
    assert api.json()["results"][0]["remark"] == "Fijn contact met de buren."
    with tenant_context(cast.a.neighbourhood):
        assert AuditEvent.objects.filter(action="survey.viewed").count() == 2
    assert cast.a.client(cast.a.resident).get("/broker/surveys/remarks/").status_code in (302, 403)


def test_the_api_enters_paper_answers_and_gives_figures_to_staff_only(cast) -> None:
    _match(cast)
    with tenant_context(cast.a.neighbourhood):
        send_surveys()
        invitation = SurveyInvitation.objects.get(participant__display_name="Bert")
    broker = cast.a.client(cast.a.broker)
    today = timezone.localdate().isoformat()
    url = f"/api/v1/surveys/invitations/{invitation.pk}/paper-answers/"
    body = {"answered_on": today, "satisfied_exchange": True, "neighbours": 1}
    assert broker.post(url, body, content_type="application/json").status_code == 201
    assert broker.post(url, body, content_type="application/json").status_code == 404
    figures = broker.get(f"/api/v1/surveys/figures/?start={today}&end={today}").json()
    assert (figures["answers"], figures["neighbours_1"], figures["satisfied_exchange"]) == (1, 1, 1)
    assert broker.get(f"/api/v1/surveys/figures/?start={today}&end=2000-01-01").status_code == 400
    assert broker.get("/api/v1/surveys/figures/?start=yesterday&end=today").status_code == 400
    resident = cast.a.client(cast.a.resident)
    assert resident.get(f"/api/v1/surveys/figures/?start={today}&end={today}").status_code == 403


def test_a_remark_is_taken_up_to_its_length_in_any_characters(cast) -> None:
    # The column is bounded (stored in the row, docs/adr/0013): one character more is the
    # field's error on the page and a 400 naming it in the API, never a database error.
    wide = "\U0001f600"  # 4 bytes in UTF-8
    _match(cast)
    with tenant_context(cast.a.neighbourhood):
        send_surveys()
        invitation = SurveyInvitation.objects.get(participant__display_name="Bert")
    page = cast.a.client().post(_survey_link(cast), {**ANSWERS, "remark": wide * 2001})
    assert page.status_code == 400 and b'id="id_remark_errors"' in page.content
    broker = cast.a.client(cast.a.broker)
    url = f"/api/v1/surveys/invitations/{invitation.pk}/paper-answers/"
    body = {"answered_on": timezone.localdate().isoformat(), "remark": wide * 2001}
    too_long = broker.post(url, body, content_type="application/json")
    assert too_long.status_code == 400 and "remark" in too_long.json()
    full = broker.post(url, {**body, "remark": wide * 2000}, content_type="application/json")
    assert full.status_code == 201, full.content
    with tenant_context(cast.a.neighbourhood):
        assert SurveyAnswer.objects.get().remark == wide * 2000


def test_erasure_removes_the_invitation_and_keeps_the_anonymous_answer(cast) -> None:
    ann, _bert, _mediation = _match(cast)
    with tenant_context(cast.a.neighbourhood):
        send_surveys()
    cast.a.client().post(_survey_link(cast), ANSWERS)
    with tenant_context(cast.a.neighbourhood):
        erase_participant(participant=ann, erased_by=None, confirmation=ERASE_CONFIRMATION)
        assert not SurveyInvitation.objects.filter(participant=ann).exists()
        assert SurveyAnswer.objects.count() == 1


def test_the_list_of_open_invitations_takes_the_same_queries_for_3_or_30(cast) -> None:
    broker = cast.a.client(cast.a.broker)

    def queries_for(count: int) -> int:
        with tenant_context(cast.a.neighbourhood):
            for number in range(count - SurveyInvitation.objects.count()):
                invite(
                    participant=participant(f"Buur {number}"),
                    occasion=Occasion.ANNUAL,
                    round="year:2030",
                    today=timezone.localdate(),
                )
        broker.get("/broker/surveys/")
        with CaptureQueriesContext(connection) as queries:
            assert broker.get("/broker/surveys/").status_code == 200
        return len(queries)

    assert queries_for(3) == queries_for(30)
