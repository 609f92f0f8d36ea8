"""The credits pages: a resident's statement, the broker's overview, statements, reversals,
gifts (also one click after a match and from the mailed link), rewards as one background
job, the admin's limits; the credit's own name in singular and plural; 404 while off."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.credits.models import Account, Transfer
from tenants.credits.naming import credits_text
from tenants.credits.services import give_credits, reward_participants
from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.people.models import ParticipantLink
from tenants.people.services.links import issue_link
from tenants.people.sessions import SESSION_KEY
from tests.support import factories
from tests.support.credits import assert_ledger_invariants, set_credits

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/broker/credits/",
    "/broker/credits/export/?file_format=csv",
    "/broker/credits/gift/",
    "/broker/credits/reward/",
]


def _reward(place, *people, amount=D(2), description="Kerstactie"):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return reward_participants(
            recipients=list(people),
            amount_each=amount,
            by=place.broker.user,
            description=description,
        )


def _en(client):  # type: ignore[no-untyped-def]
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _signed_in(place, participant):  # type: ignore[no-untyped-def]
    client = place.client()
    with tenant_context(place.neighbourhood):
        session = client.session
        session[SESSION_KEY] = participant.pk
        session.save()
    return client


def test_every_page_is_404_while_credits_are_off_and_back_when_on(cast, ledger) -> None:
    broker = _en(cast.a.client(cast.a.broker))
    _reward(cast.a, ledger.ans)
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    admin = cast.a.client(cast.a.admin)
    pages = [*STAFF_PAGES, f"/broker/credits/participants/{ledger.ans.pk}/"]
    assert [broker.get(url).status_code for url in pages] == [404] * len(pages)
    assert admin.get("/manage/credits/").status_code == 404
    assert _signed_in(cast.a, ledger.ans).get("/credits/mine/").status_code == 404
    assert cast.a.client().get("/credits/thank/whatever/").status_code == 404
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=True)
    assert [broker.get(url).status_code for url in pages] == [200] * len(pages)
    assert "2 Roosjes" in broker.get(pages[-1]).content.decode()  # the ledger as it was


def test_a_resident_sees_their_balance_and_history_with_running_balance(cast, ledger) -> None:
    _reward(cast.a, ledger.ans, amount=D(3))
    with tenant_context(cast.a.neighbourhood):
        give_credits(
            giver=ledger.ans,
            receiver=ledger.bert,
            amount=D(1),
            by=cast.a.broker.user,
            description="Boodschappen",
        )
    client = _signed_in(cast.a, ledger.ans)
    with translation.override("nl"):
        page = client.get("/credits/mine/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Mijn Roosjes" in page or "My Roosjes" in page
    assert page.index("Boodschappen") < page.index("Kerstactie")  # newest first
    assert "−1 Roosje" in page and "+3 Roosjes" in page
    assert ">2 Roosjes<" in page  # balance after the gift, and the balance itself
    assert cast.a.client().get("/credits/mine/").status_code == 302  # sign in first


def test_the_name_is_singular_for_one_and_plural_otherwise_in_both_languages(
    cast, credits_on
) -> None:
    with tenant_context(cast.a.neighbourhood):
        for language, half in (("nl", "0,5 Roosje"), ("en", "0.5 Roosje")):
            with translation.override(language):
                assert credits_text(D(1)) == "1 Roosje"
                assert credits_text(D(2)) == "2 Roosjes"
                assert credits_text(D("0.5")) == half
                assert credits_text(D(-1), signed=True) == "−1 Roosje"
    renamed = set_credits(
        cast.a.neighbourhood,
        cast.a.admin.user,
        credit_name="Buurtpunten",
        credit_name_singular="Buurtpunt",
    )
    with tenant_context(renamed):
        assert credits_text(D(1)) == "1 Buurtpunt" and credits_text(D(5)) == "5 Buurtpunten"


def test_the_overview_shows_the_figures_and_downloads_every_balance(cast, ledger) -> None:
    with tenant_context(cast.a.neighbourhood):
        reward_participants(
            recipients=[ledger.ans, ledger.bert],
            amount_each=D(2),
            by=cast.a.broker.user,
            description="Kerst",
            organisation=ledger.scouting,
        )
    broker = _en(cast.a.client(cast.a.broker))
    page = broker.get("/broker/credits/").content.decode()
    assert "Scouting Zuid" in page and "4 Roosjes" in page
    csv = broker.get("/broker/credits/export/?file_format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Ans" in text and "Scouting Zuid" in text
    xlsx = broker.get("/broker/credits/export/?file_format=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4  # the header, Ans, Bert, the scouting's issuing account
    assert broker.get("/broker/credits/export/?file_format=pdf").status_code == 404
    assert cast.a.client(cast.a.resident).get("/broker/credits/").status_code in (302, 403)
    with tenant_context(cast.a.neighbourhood):
        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"credit_overview.exported", "credit_account_list.viewed"} <= actions


def test_the_balances_list_and_the_holders_figure_leave_out_people_at_zero(cast, ledger) -> None:
    # given: Ans and Bert got 2 each, and Bert passed his 2 on to Carla
    _reward(cast.a, ledger.ans, ledger.bert)
    with tenant_context(cast.a.neighbourhood):
        give_credits(
            giver=ledger.bert,
            receiver=ledger.carla,
            amount=D(2),
            by=cast.a.broker.user,
            description="Bedankt",
        )
    broker = _en(cast.a.client(cast.a.broker))
    page = broker.get("/broker/credits/")
    listed = [account.participant.display_name for account in page.context["page"]]
    assert listed == ["Ans", "Carla"]  # Bert, at 0, is not among the holders
    assert page.context["overview"].participants_holding == len(listed) == 2
    # the download keeps every account, Bert's at 0 too, as its link says
    download = broker.get("/broker/credits/export/?file_format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(download)))[1:]
    people = {row[3]: D(row[4]) for row in rows if row[2]}  # participants, not organisations
    assert people == {"Ans": D(2), "Bert": D(0), "Carla": D(2)}
    assert sorted(name for name, held in people.items() if held > 0) == listed


def test_the_broker_reverses_a_transfer_from_the_statement_with_a_reason(cast, ledger) -> None:
    transfer = _reward(cast.a, ledger.ans)
    broker = _en(cast.a.client(cast.a.broker))
    statement = broker.get(f"/broker/credits/participants/{ledger.ans.pk}/").content.decode()
    assert f"/broker/credits/transfers/{transfer.pk}/reverse/" in statement
    url = f"/broker/credits/transfers/{transfer.pk}/reverse/"
    empty = broker.post(url, {"reason": " ", "participant": ledger.ans.pk})
    assert empty.status_code == 400
    done = broker.post(url, {"reason": "Dubbel ingevoerd", "participant": ledger.ans.pk})
    assert done.status_code == 302 and done["Location"].endswith(
        f"/broker/credits/participants/{ledger.ans.pk}/"
    )
    again = broker.post(url, {"reason": "Nog eens", "participant": ledger.ans.pk})
    assert again.status_code == 400 and "already reversed" in again.content.decode()
    with tenant_context(cast.a.neighbourhood):
        assert Transfer.objects.get(reverses=transfer).description == "Dubbel ingevoerd"
        assert_ledger_invariants()
        assert AuditEvent.objects.filter(action="credit_statement.viewed").exists()


def test_one_click_after_a_match_gives_an_hour_once_and_refusals_keep_the_input(
    cast, ledger
) -> None:
    _reward(cast.a, ledger.ans, amount=D(2))
    with tenant_context(cast.a.neighbourhood):
        mediation = start_mediation(requester=ledger.ans, provider=ledger.bert, active=True)
        mediation = set_mediation_status(mediation=mediation, status="match", by=cast.a.broker.user)
    broker = _en(cast.a.client(cast.a.broker))
    page = broker.get(f"/broker/mediations/{mediation.pk}/").content.decode()
    assert 'action="/broker/credits/gift/"' in page and 'value="1"' in page
    click = {
        "giver": ledger.ans.pk,
        "receiver": ledger.bert.pk,
        "mediation": mediation.pk,
        "amount": "1",
        "description": "Dank je",
        "idempotency_key": f"mediation-{mediation.pk}-thanks",
    }
    first = broker.post("/broker/credits/gift/", click)
    second = broker.post("/broker/credits/gift/", click)  # a double click
    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"/broker/mediations/{mediation.pk}/"
    with tenant_context(cast.a.neighbourhood):
        gift = Transfer.objects.get(kind="gift")
        assert (gift.mediation_id, gift.on_behalf_of_id) == (mediation.pk, ledger.ans.pk)
    too_much = broker.post(
        "/broker/credits/gift/", {**click, "amount": "5", "idempotency_key": "another"}
    )
    assert too_much.status_code == 400
    body = too_much.content.decode()
    assert "more than the balance" in body and 'value="5"' in body
    prefilled = broker.get(f"/broker/credits/gift/?mediation={mediation.pk}").content.decode()
    assert 'value="1"' in prefilled and str(ledger.bert.pk) in prefilled


def test_a_resident_thanks_from_the_link_in_the_did_it_work_out_mail(cast, ledger) -> None:
    _reward(cast.a, ledger.ans, amount=D(2))
    with tenant_context(cast.a.neighbourhood):
        mediation = start_mediation(requester=ledger.ans, provider=ledger.bert, active=True)
        token = issue_link(
            participant=ledger.ans, purpose=ParticipantLink.Purpose.OUTCOME, subject_id=mediation.pk
        )
    client = _en(cast.a.client())
    assert client.get(f"/credits/thank/{token}/").status_code == 404  # no match yet
    with tenant_context(cast.a.neighbourhood):
        set_mediation_status(mediation=mediation, status="match", by=cast.a.broker.user)
    page = client.get(f"/credits/thank/{token}/").content.decode()
    assert "Bert" in page and "2 Roosjes" in page
    bad = client.post(f"/credits/thank/{token}/", {"amount": "0.1", "description": "Dank"})
    assert bad.status_code == 400 and "quarter hours" in bad.content.decode()
    done = client.post(
        f"/credits/thank/{token}/", {"amount": "1", "description": "Dank!", "idempotency_key": "k"}
    )
    assert done.status_code == 200 and "has received your" in done.content.decode()
    with tenant_context(cast.a.neighbourhood):
        gift = Transfer.objects.get(kind="gift")
        assert gift.mediation_id == mediation.pk
        assert assert_ledger_invariants()
    assert cast.a.client().get("/credits/thank/not-a-token/").status_code == 404
    assert cast.b.client().get(f"/credits/thank/{token}/").status_code == 404  # B: off, unknown


def test_a_reward_of_many_is_one_background_job_with_its_progress(
    cast, ledger, django_capture_on_commit_callbacks
) -> None:
    with tenant_context(cast.a.neighbourhood):
        people = [factories.participant(f"Vrijwilliger {n}") for n in range(5)]
        ledger.scouting.members.add(*people[:3])
    broker = _en(cast.a.client(cast.a.broker))
    club = broker.get(f"/broker/organisations/{ledger.scouting.pk}/").content.decode()
    assert f"/broker/credits/reward/?organisation={ledger.scouting.pk}" in club
    form = broker.get(f"/broker/credits/reward/?organisation={ledger.scouting.pk}").content.decode()
    assert " ".join(str(p.pk) for p in people[:3]) in form  # its members, filled in
    with django_capture_on_commit_callbacks(execute=False) as queued:
        posted = broker.post(
            "/broker/credits/reward/",
            {
                "organisation": ledger.scouting.pk,
                "recipients": " ".join(str(p.pk) for p in people),
                "amount_each": "2",
                "description": "Kerstactie",
            },
        )
    assert posted.status_code == 302 and len(queued) == 1
    waiting = broker.get(posted["Location"]).content.decode()
    assert "Waiting for a worker" in waiting and "hx-get" in waiting  # the page polls
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()  # the worker takes the job
    progress = broker.get(posted["Location"])
    assert "5 people rewarded" in progress.content.decode()
    assert "hx-get" not in broker.get(posted["Location"], HTTP_HX_REQUEST="true").content.decode()
    with tenant_context(cast.a.neighbourhood):
        reward = Transfer.objects.get(kind="reward")
        assert reward.movements.count() == 6
        assert_ledger_invariants()
    assert broker.get("/broker/credits/reward/0123456789abcdef/").status_code == 404


def test_a_refused_reward_gives_nobody_anything(
    cast, ledger, django_capture_on_commit_callbacks
) -> None:
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credit_max_balance=D(3))
    _reward(cast.a, ledger.ans, amount=D(3))
    broker = _en(cast.a.client(cast.a.broker))
    with django_capture_on_commit_callbacks(execute=True):
        posted = broker.post(
            "/broker/credits/reward/",
            {
                "recipients": f"{ledger.bert.pk} {ledger.ans.pk}",
                "amount_each": "1",
                "description": "X",
            },
        )
    page = broker.get(posted["Location"]).content.decode()
    assert "Failed" in page and "maximum balance" in page
    with tenant_context(cast.a.neighbourhood):
        assert Transfer.objects.filter(kind="reward").count() == 1  # only the first
    bad = broker.post("/broker/credits/reward/", {"recipients": "", "amount_each": "-1"})
    assert bad.status_code == 400


def test_only_the_admin_sets_the_limits(cast, credits_on) -> None:
    admin = cast.a.client(cast.a.admin)
    assert cast.a.client(cast.a.broker).get("/manage/credits/").status_code in (302, 403)
    assert admin.post("/manage/credits/", {"credit_expiry_months": "0"}).status_code == 400
    saved = admin.post(
        "/manage/credits/", {"credit_max_balance": "40", "credit_expiry_months": "12"}
    )
    assert saved.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

        row = Neighbourhood.objects.get(pk=cast.a.neighbourhood.pk)
    assert (row.credit_max_balance, row.credit_expiry_months) == (D(40), 12)


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_balance_and_statement_pages_keep_their_query_count_as_the_ledger_grows(
    cast, ledger
) -> None:
    broker = _en(cast.a.client(cast.a.broker))
    resident = _signed_in(cast.a, ledger.ans)
    urls = ["/broker/credits/", f"/broker/credits/participants/{ledger.ans.pk}/"]

    def grow(n: int) -> None:
        with tenant_context(cast.a.neighbourhood):
            people = [factories.participant(f"P{n}-{i}") for i in range(n)]
            reward_participants(
                recipients=[ledger.ans, *people],
                amount_each=D(1),
                by=cast.a.broker.user,
                description=f"ronde {n}",
                organisation=ledger.scouting,
            )
            for i in range(n):
                reward_participants(
                    recipients=[ledger.ans],
                    amount_each=D("0.25"),
                    by=cast.a.broker.user,
                    description=f"extra {i}",
                )

    grow(3)
    few = [_queries(broker, url) for url in urls] + [_queries(resident, "/credits/mine/")]
    grow(40)
    many = [_queries(broker, url) for url in urls] + [_queries(resident, "/credits/mine/")]
    assert many == few


def test_another_neighbourhoods_participant_or_transfer_is_unknown(cast, ledger) -> None:
    transfer = _reward(cast.a, ledger.ans)
    set_credits(cast.b.neighbourhood, cast.b.admin.user, credits_enabled=True)
    broker_b = cast.b.client(cast.b.broker)
    assert broker_b.get(f"/broker/credits/transfers/{transfer.pk}/reverse/").status_code == 404
    with tenant_context(cast.b.neighbourhood):
        assert not Account.objects.exists()
