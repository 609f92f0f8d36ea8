"""The report page, its downloads and the API: who may see them, bad periods, empty periods,
no personal data anywhere, and the same figures in every form."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from tenants.statistics.models import Snapshot
from tenants.statistics.periods import reporting_year, reporting_year_of
from tenants.statistics.report import number_text
from tenants.statistics.services import store_snapshot
from tests.support.pdfs import pdf_text

pytestmark = pytest.mark.django_db

YEAR = reporting_year(2024, 7)
QUERY = "?period=reporting_year&year=2024"


def _computed(place, period=YEAR):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return store_snapshot(
            period=period, today=datetime.date(2026, 1, 1), neighbourhood=place.neighbourhood
        )


def _auth(member):  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Token {member.token}"}


def test_only_staff_of_this_neighbourhood_see_the_report(cast) -> None:  # type: ignore[no-untyped-def]
    mine = _computed(cast.a)
    for member in (cast.a.admin, cast.a.broker):
        assert cast.a.client(member).get("/broker/report/" + QUERY).status_code == 200
    resident = cast.a.client(cast.a.resident).get("/broker/report/" + QUERY)
    assert resident.status_code in (302, 403)
    assert cast.a.client().get("/broker/report/").status_code == 302
    assert (
        cast.a.client(cast.a.resident)
        .get("/api/v1/statistics/", **_auth(cast.a.resident))
        .status_code
        == 403
    )
    # B's staff see B's snapshots only (the worker tests may have left B some of its own).
    listed = cast.b.client().get("/api/v1/statistics/", **_auth(cast.b.admin)).json()
    with tenant_context(cast.b.neighbourhood):
        theirs = set(Snapshot.objects.values_list("pk", flat=True))
    assert {row["id"] for row in listed["results"]} <= theirs
    assert mine.start.isoformat() not in {row["start"] for row in listed["results"]}


def test_the_page_shows_the_history_with_a_chart_and_the_comparison(cast, history) -> None:  # type: ignore[no-untyped-def]
    _computed(cast.a, YEAR.previous())
    _computed(cast.a)
    page = cast.a.client(cast.a.admin).get("/broker/report/" + QUERY)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Mediations and matches" in text or "Bemiddelingen" in text
    assert "<svg" in text and 'role="img"' in text
    assert "…</text>" not in text and "verwijzer</tspan>" in text  # no label cut off
    assert "2023–2024" in text  # compared with the reporting year before
    for name in ("Ann", "Bob", "Testpersoon", "voorbeeld.test"):
        assert name not in text.split("<main", 1)[-1].replace("Annuleren", "")


def test_a_period_with_no_data_shows_zeros_and_says_so(cast) -> None:  # type: ignore[no-untyped-def]
    _computed(cast.a, reporting_year(2010, 7))
    page = cast.a.client(cast.a.admin).get("/broker/report/?period=reporting_year&year=2010")
    text = page.content.decode()
    assert page.status_code == 200
    assert "every figure is zero" in text or "elk cijfer is nul" in text


@pytest.mark.parametrize(
    "query",
    [
        "?period=custom&start=2025-07-01&end=2025-06-01",  # end before start
        "?period=custom&start=2000-01-01&end=2024-01-01",  # over 20 years
        "?period=custom&start=01-07-2025&end=2025-08-01",  # odd format
        "?period=custom&start=2025-02-30&end=2025-03-01",  # no such day
        "?period=reporting_year&year=20x5",
        "?period=fortnight",
    ],
)
def test_a_bad_period_is_refused_with_a_reason(cast, query) -> None:  # type: ignore[no-untyped-def]
    page = cast.a.client(cast.a.broker).get("/broker/report/" + query)
    assert page.status_code == 400
    assert 'class="errorlist"' in page.content.decode()
    api = cast.a.client().post(
        "/api/v1/statistics/compute/",
        dict(pair.split("=") for pair in query[1:].split("&")),
        content_type="application/json",
        **_auth(cast.a.broker),
    )
    assert api.status_code == 400


def test_compute_now_makes_a_snapshot_and_the_api_serves_it(
    cast, history, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = cast.a.client(cast.a.broker)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/broker/report/compute/",
            {"period": "custom", "start": "2024-09-01", "end": "2024-10-31"},
        )
    assert answer.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        snapshot = Snapshot.objects.get(kind="custom")
    assert snapshot.state == "done" and snapshot.computed_at is not None
    # Bob–Cas (1 Sept) and Cas–Bob (1 Oct), both matches.
    assert snapshot.figures["mediations.matches"] == 2
    progress = client.get(f"/broker/report/progress/{snapshot.pk}/")
    assert progress.status_code == 200 and 'value="100"' in progress.content.decode()
    api = cast.a.client().get(f"/api/v1/statistics/{snapshot.pk}/", **_auth(cast.a.broker))
    assert api.status_code == 200
    assert api.json()["figures"]["mediations.matches"] == 2
    assert (
        cast.b.client()
        .get(f"/api/v1/statistics/{snapshot.pk}/", **_auth(cast.b.broker))
        .status_code
        == 404
    )


def test_the_progress_is_announced_in_the_pages_one_live_region_once_per_change(
    cast, history
) -> None:  # type: ignore[no-untyped-def]
    client = cast.a.client(cast.a.broker)
    page = client.get("/broker/report/" + QUERY).content.decode()
    assert '<p role="status" id="report-status">' in page
    started = client.post(  # no worker here: the snapshot waits
        "/broker/report/compute/",
        {"period": "custom", "start": "2024-09-01", "end": "2024-10-31"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert '<p id="report-status" hx-swap-oob="innerHTML">' in started
    with translation.override("nl"):
        assert gettext("Waiting for a worker…") in started
    with tenant_context(cast.a.neighbourhood):
        snapshot = Snapshot.objects.get(kind="custom")
    polled = client.get(
        f"/broker/report/progress/{snapshot.pk}/?shown={snapshot.state}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="report-status"' not in polled and "hx-get" in polled


def test_exports_hold_the_figures_and_no_personal_data(cast, history) -> None:  # type: ignore[no-untyped-def]
    _computed(cast.a)
    client = cast.a.client(cast.a.admin)
    csv_text = client.get("/broker/report/export.csv" + QUERY).content.decode()
    xlsx = client.get("/broker/report/export.xlsx" + QUERY)
    pdf = client.get("/broker/report/export.pdf" + QUERY)
    assert xlsx.status_code == 200 and pdf.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert len(workbook.sheetnames) >= 10  # one sheet per table
    cells = " ".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    )
    pdf_words = pdf_text(pdf.content)
    assert csv_text.startswith("\ufeff")  # Excel reads it as UTF-8 ("2025–2026", "Zoë")
    dutch = "Bemiddelingen" in csv_text
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";" if dutch else ","))
    assert any(row[:2] == ["Mediations", "6"] or row[:2] == ["Bemiddelingen", "6"] for row in rows)
    # Four answered about their gender: suppressed in every export too.
    assert any(row[:2] == ["Women", "<5"] or row[:2] == ["Vrouwen", "<5"] for row in rows)
    assert "<5" in cells and "<5" in pdf_words
    everything = csv_text + cells + pdf_words
    for person in history.people.values():
        for value in (person.full_name, person.email, person.phone):
            assert value not in everything
    for name in history.people:
        assert f"{name} " not in everything and f" {name}" not in everything


def test_exports_of_a_period_not_computed_are_not_found(cast) -> None:  # type: ignore[no-untyped-def]
    client = cast.a.client(cast.a.admin)
    assert (
        client.get("/broker/report/export.xlsx?period=reporting_year&year=2001").status_code == 404
    )
    assert client.get("/broker/report/export.csv?period=custom&start=x&end=y").status_code == 400


def test_the_nightly_job_copies_the_headlines_of_the_term_and_the_year(cast, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys
    import types

    recorded: list[dict] = []
    fake = types.SimpleNamespace(record_headlines=lambda **given: recorded.append(given))
    monkeypatch.setitem(sys.modules, "tijdvoorelkaar.headlines.services", fake)
    from tenants.statistics.services import compute_standard_snapshots

    with tenant_context(cast.b.neighbourhood):
        assert compute_standard_snapshots() == 5
        assert Snapshot.objects.filter(computed_at__isnull=False).count() >= 5
    year = reporting_year_of(timezone.localdate(), cast.b.neighbourhood.reporting_year_start_month)
    key = str(year.start.year) if year.start.month == 1 else f"{year.start.year}-{year.end.year}"
    assert [given["period_key"] for given in recorded] == ["term", key]
    figures = recorded[0]["figures"]
    assert set(figures) == {
        "mediations", "matches", "participants_new", "participants_active",
        "participants_total", "group_visits", "ads_placed", "visits", "unique_visitors",
        "credits_issued",
    }  # fmt: skip
    assert figures["credits_issued"] is None  # B runs without credits
    assert recorded[0]["neighbourhood"].pk == cast.b.neighbourhood.pk


def test_compute_now_from_the_page_answers_with_the_progress_it_polls(
    cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = cast.a.client(cast.a.admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = client.post(
            "/broker/report/compute/",
            {"period": "calendar_year", "year": "2024"},
            HTTP_HX_REQUEST="true",
        )
    text = answer.content.decode()
    assert answer.status_code == 200 and len(queued) == 1
    assert 'hx-trigger="every 1s"' in text and "<progress" in text  # waiting: it polls
    # A second click while it waits joins the same request.
    with django_capture_on_commit_callbacks(execute=False) as again:
        client.post("/broker/report/compute/", {"period": "calendar_year", "year": "2024"})
    assert not again


def test_the_nightly_job_reaches_the_operators_console(cast) -> None:  # type: ignore[no-untyped-def]
    from tenants.statistics.services import compute_standard_snapshots
    from tijdvoorelkaar.headlines.models import NeighbourhoodHeadline

    with tenant_context(cast.a.neighbourhood):
        compute_standard_snapshots()
    stored = NeighbourhoodHeadline.objects.get(
        neighbourhood=cast.a.neighbourhood, period_key="term"
    )
    assert stored.figures["credits_issued"] is None or isinstance(
        stored.figures["credits_issued"], float
    )
    assert set(stored.figures) >= {"mediations", "matches", "participants_total"}


def test_figures_with_decimals_are_written_as_the_readers_language_writes_them() -> None:
    with translation.override("nl"):
        assert (number_text(16.5, 1), number_text(2.25, 2), number_text(3.0, 2)) == (
            "16,5",
            "2,25",
            "3",
        )
    with translation.override("en"):
        assert (number_text(16.5, 1), number_text(2.5, 2)) == ("16.5", "2.5")
