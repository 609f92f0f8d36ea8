"""Rewards from an uploaded list (CSV or XLSX) through the import's preview: per-row
errors, then one transfer for everyone with the same organisation, amount and description,
all rows or none; the choice exists only while credits are on."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from tenants.credits.models import Transfer
from tests.support.credits import assert_ledger_invariants, set_credits

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/broker/transfers/",
        {"kind": "rewards", "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def _people(place, ledger):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        for person, email in ((ledger.ans, "ans@example.org"), (ledger.bert, "bert@example.org")):
            person.email = email
            person.save(update_fields=["email"])


def test_a_list_of_rewards_is_previewed_per_row_then_booked_all_at_once(cast, ledger) -> None:
    _people(cast.a, ledger)
    broker = cast.a.client(cast.a.broker)
    broker.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "rewards" in broker.get("/broker/transfers/").content.decode()
    data = (
        b"Deelnemer;Aantal;Organisatie;Omschrijving\r\n"
        b"ans@example.org;2;Scouting Zuid;Kerstactie\r\n"
        b"bert@example.org;2;Scouting Zuid;Kerstactie\r\n"
        b"Carla;0,3;Scouting Zuid;Kerstactie\r\n"
        b"nobody@example.org;2;;Kerstactie\r\n"
    )
    assert _upload(broker, data, "beloning.csv").status_code == 302
    preview = broker.get("/broker/transfers/preview/").content.decode()
    assert "quarter hours" in preview and "no participant with this e-mail" in preview
    refused = broker.post("/broker/transfers/preview/", {"action": "import"})
    assert refused.status_code == 400
    with tenant_context(cast.a.neighbourhood):
        assert not Transfer.objects.exists()
    done = broker.post("/broker/transfers/preview/", {"action": "import", "only_good_rows": "on"})
    assert done.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        reward = Transfer.objects.get()
        assert (reward.kind, reward.description, reward.movements.count()) == (
            "reward",
            "Kerstactie",
            3,
        )
        assert_ledger_invariants()


def test_an_excel_list_is_refused_whole_when_one_row_cannot_be_booked(cast, ledger) -> None:
    _people(cast.a, ledger)
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credit_max_balance=3)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Participant", "Amount"])
    sheet.append(["ans@example.org", 2])
    sheet.append(["bert@example.org", 4])  # above the maximum of 3
    out = io.BytesIO()
    book.save(out)
    broker = cast.a.client(cast.a.broker)
    assert _upload(broker, out.getvalue(), "lijst.xlsx").status_code == 302
    refused = broker.post("/broker/transfers/preview/", {"action": "import"})
    assert refused.status_code == 400
    with tenant_context(cast.a.neighbourhood):
        assert not Transfer.objects.exists()


def test_without_credits_there_is_no_such_upload(cast, ledger) -> None:
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    broker = cast.a.client(cast.a.broker)
    page = broker.get("/broker/transfers/").content.decode()
    assert 'value="rewards"' not in page and "Roosje" not in page
    assert _upload(broker, b"Participant;Amount\r\nx;1\r\n", "x.csv").status_code == 400
