"""The one pagination: a page number that is missing, nonsense or too high still answers."""

from __future__ import annotations

from django.test import RequestFactory

from tijdvoorelkaar.pagination import PAGE_SIZE, page_of


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
