"""The one pagination: a page number that is missing, nonsense or too high still answers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.pagination import (
    PAGE_SIZE,
    PageStatement,
    page_in_one_query,
    page_of,
    page_of_statement,
)


def _page(query: str, rows: list[int], **size: int):  # type: ignore[no-untyped-def]
    return page_of(RequestFactory().get(f"/list/{query}"), rows, **size)


def test_a_page_holds_the_default_number_of_rows() -> None:
    rows = list(range(PAGE_SIZE * 2 + 3))
    assert list(_page("?page=2", rows).object_list) == rows[PAGE_SIZE : PAGE_SIZE * 2]
    assert _page("", rows).paginator.num_pages == 3


def test_nonsense_gives_the_first_page_and_too_high_the_last() -> None:
    rows = list(range(12))
    assert _page("?page=abc", rows, size=5).number == 1
    assert _page("?page=99999999999999999999", rows, size=5).number == 3


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?page=2", "?page=abc", "?page=0", "?page=999"])
def test_a_page_in_one_query_is_the_page_page_of_gives(cast, query: str) -> None:
    rows = Neighbourhood.objects.order_by("pk")  # the cast's two, at least
    request = RequestFactory().get(f"/list/{query}")
    expected = page_of(request, rows, size=1)
    with CaptureQueriesContext(connection) as queries:
        page = page_in_one_query(request, rows, size=1)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        expected.paginator.num_pages,
    )
    assert [row.pk for row in page.object_list] == [row.pk for row in expected.object_list]
    if query in ("", "?page=2"):
        assert len(queries) == 1  # the rows carry the count


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?page=2", "?page=abc", "?page=0", "?page=999"])
def test_a_prepared_statement_gives_the_page_page_in_one_query_gives(cast, query: str) -> None:
    rows = Neighbourhood.objects.order_by("pk").values("pk", "slug")
    request = RequestFactory().get(f"/list/{query}")
    expected = page_in_one_query(request, rows, size=1)
    statement = PageStatement.prepare(Neighbourhood.objects.order_by("pk").values("pk", "slug"))
    with CaptureQueriesContext(connection) as queries:
        page = page_of_statement(request, statement, size=1, replacing={}, rows=lambda: rows)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        expected.paginator.num_pages,
    )
    without_total = [{k: v for k, v in row.items() if k != "rows_in_all"} for row in expected]
    assert list(page.object_list) == without_total
    if query in ("", "?page=2"):
        assert len(queries) == 1


@pytest.mark.django_db
def test_a_prepared_statement_runs_with_the_values_it_is_given(cast) -> None:
    """A parameter that stands for a value when the statement is prepared is swapped."""
    placeholder = "~slug~"
    statement = PageStatement.prepare(
        Neighbourhood.objects.filter(slug=placeholder).order_by("pk").values("pk")
    )
    slug = cast.a.neighbourhood.slug
    found, total = statement.rows(0, 10, {placeholder: slug})
    assert (found, total) == ([{"pk": cast.a.neighbourhood.pk}], 1)
    assert statement.rows(0, 10, {placeholder: "no-such-slug"}) == ([], 0)
