"""The headline figures in the public schema and the operator's page, CSV and API."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.support.cast import PLATFORM_HOST, client_for
from tijdvoorelkaar.headlines.models import NeighbourhoodHeadline
from tijdvoorelkaar.headlines.selectors import headline_table
from tijdvoorelkaar.headlines.services import record_headlines
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 7, 1)
END = datetime.date(2026, 6, 30)


def _record(neighbourhood, **figures):  # type: ignore[no-untyped-def]
    record_headlines(
        neighbourhood=neighbourhood,
        period_key="2025-2026",
        period_start=START,
        period_end=END,
        computed_at=timezone.now(),
        figures=figures,
    )


def test_recording_twice_replaces_the_figures(cast) -> None:
    _record(cast.a.neighbourhood, mediations=12, matches=7)
    _record(cast.a.neighbourhood, mediations=13, matches=8, credits_issued=None)
    row = NeighbourhoodHeadline.objects.get(neighbourhood=cast.a.neighbourhood)
    assert row.figures == {"mediations": 13, "matches": 8, "credits_issued": None}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"figures": {"names": 3}}, "figures"),
        ({"figures": {"matches": "7"}}, "figures"),
        ({"period_end": START - datetime.timedelta(days=1)}, "period_end"),
        ({"period_key": ""}, "period_key"),
    ],
)
def test_odd_figures_are_refused_naming_the_field(cast, changes, field) -> None:
    arguments = {
        "neighbourhood": cast.a.neighbourhood,
        "period_key": "2025-2026",
        "period_start": START,
        "period_end": END,
        "computed_at": timezone.now(),
        "figures": {"matches": 7},
    } | changes
    with pytest.raises(ValidationError) as error:
        record_headlines(**arguments)
    assert field in error.value.message_dict
    assert not NeighbourhoodHeadline.objects.exists()


def test_small_cells_are_suppressed_and_left_out_of_the_totals(cast) -> None:
    _record(cast.a.neighbourhood, mediations=12, matches=3, visits=0)
    _record(cast.b.neighbourhood, mediations=4, matches=9, visits=100)
    table = headline_table("2025-2026")
    by_slug = {row.slug: dict(zip(table.keys, row.cells, strict=True)) for row in table.rows}
    assert by_slug["wijk-a"]["matches"] == "<5"
    assert by_slug["wijk-a"]["visits"] == 0
    assert by_slug["wijk-b"]["mediations"] == "<5"
    totals = dict(zip(table.keys, table.totals, strict=True))
    suppressed = dict(zip(table.keys, table.suppressed, strict=True))
    assert totals["mediations"] == 12 and suppressed["mediations"] == 1
    assert totals["matches"] == 9 and suppressed["matches"] == 1
    assert totals["visits"] == 100 and suppressed["visits"] == 0


def test_the_operator_sees_every_neighbourhood_side_by_side_and_downloads_the_csv(
    cast, operator_client
) -> None:
    _record(cast.a.neighbourhood, mediations=12, matches=3)
    _record(cast.b.neighbourhood, mediations=20, matches=9)
    page = operator_client.get("/figures/?period=2025-2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert cast.a.neighbourhood.name in text and cast.b.neighbourhood.name in text
    assert "&lt;5" in text and ">32<" in text
    download = operator_client.get("/figures/export.csv?period=2025-2026")
    assert download["Content-Type"].startswith("text/csv")
    rows = download.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 2 + 2  # the names, two neighbourhoods, the totals, the left-outs
    assert ",2025-2026,32,9," in rows[3]  # the totals
    for member in (cast.a.resident, cast.a.broker, cast.b.resident):
        for content in (text, download.content.decode()):
            assert member.user.email not in content


def test_the_figures_page_writes_numbers_the_dutch_way_and_shows_no_template_comment(
    cast, operator_client
) -> None:
    _record(cast.a.neighbourhood, mediations=12, credits_issued=56.5)
    text = operator_client.get("/figures/?period=2025-2026", HTTP_ACCEPT_LANGUAGE="nl")
    text = text.content.decode()
    assert ">56,5<" in text and ">56.5<" not in text
    assert "{#" not in text and "#}" not in text and "_body_rows" not in text


def test_staff_of_a_neighbourhood_cannot_open_the_operator_figures(cast) -> None:
    # A neighbourhood admin's account lives in its own schema: its session, sent to the
    # platform's host, opens nothing there.
    admin = cast.a.client(cast.a.admin)
    assert admin.get("/figures/", HTTP_HOST=PLATFORM_HOST).status_code in (302, 403)
    assert client_for(PLATFORM_HOST).get("/figures/export.csv").status_code == 302


def test_the_operator_api_gives_the_same_table(cast, operator_client) -> None:
    _record(cast.a.neighbourhood, mediations=12, matches=3)
    body = operator_client.get("/api/v1/headlines/?period=2025-2026").json()
    a = next(row for row in body["neighbourhoods"] if row["slug"] == "wijk-a")
    assert a["figures"]["matches"] == "<5" and a["figures"]["mediations"] == 12
    assert body["suppressed_cells"]["matches"] == 1
    assert operator_client.get("/api/v1/headlines/?period=nonsense").status_code == 400


def test_five_hundred_neighbourhoods_in_three_queries_under_200_ms(cast, operator_client) -> None:
    made = Neighbourhood.objects.bulk_create(
        Neighbourhood(schema_name=f"bulk_{n}", name=f"Wijk {n:03}", slug=f"bulk-{n}")
        for n in range(500)
    )
    NeighbourhoodHeadline.objects.bulk_create(
        NeighbourhoodHeadline(
            neighbourhood=neighbourhood,
            period_key="term",
            period_start=START,
            period_end=END,
            computed_at=timezone.now(),
            figures={"mediations": n, "matches": n // 2, "visits": n * 10},
        )
        for n, neighbourhood in enumerate(made)
    )
    operator_client.get("/figures/")  # the session and the second step, loaded once
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        page = operator_client.get("/figures/?period=term")
    seconds = time.perf_counter() - started
    assert page.status_code == 200 and "Wijk 499" in page.content.decode()
    own = [
        q
        for q in queries.captured_queries
        if "headline" in q["sql"] or 'neighbourhood"' in q["sql"]
    ]
    assert len(own) <= 3, [q["sql"] for q in own]
    assert seconds < 0.2, seconds
