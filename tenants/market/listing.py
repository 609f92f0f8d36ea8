"""The public list's page: its SQL compiled once per process for each shape of filter (which
filters are set, not their values) and run with the request's values. Building and compiling
the search queryset was ≈ 2 ms of CPU on every uncached list page, more than the database
took to answer it (docs/operations/benchmarks.md, "Pages without the cache")."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.http import HttpRequest

from tijdvoorelkaar.pagination import CARDS_PAGE_SIZE, PageStatement, page_of_statement

from .cards import card_rows
from .selectors import search_ads, search_prefixes

# What the statement is prepared with, swapped for the request's values when it runs: values
# no filter can have (a kind that is none, ids no row has, a word of a search nobody types).
KIND = "~kind~"
CATEGORY = -7_700_000_000_000_000_011
SUB_AREA = -7_700_000_000_000_000_012
WORD = "zqxjplaceholderqxjz"  # a search with words: the text, and its prefixes
NO_WORD = "~~~"  # a search without words (only signs): no prefix search


@dataclass(frozen=True)
class Shape:
    kind: bool
    category: bool
    sub_area: bool
    text: bool
    words: bool


def list_page(request: HttpRequest, filters: dict[str, Any]) -> Page:
    """The page of the list that `?page=` asks for, filtered as the search form's
    `cleaned_data` says (`q`, `kind`, `category`, `sub_area`), as card rows
    (`cards.card_rows`) with the total: one query, the same rows as
    `page_in_one_query(request, card_rows(search_ads(…)))`."""
    text = (filters.get("q") or "").strip()
    kind = filters.get("kind") or ""
    category, sub_area = filters.get("category"), filters.get("sub_area")
    prefixes = search_prefixes(text) if text else ""
    shape = Shape(
        kind=bool(kind),
        category=category is not None,
        sub_area=sub_area is not None,
        text=bool(text),
        words=bool(prefixes),
    )
    replacing: dict[Any, Any] = {
        KIND: kind,
        CATEGORY: getattr(category, "pk", None),
        SUB_AREA: getattr(sub_area, "pk", None),
        WORD: text,
        search_prefixes(WORD): prefixes,
        NO_WORD: text,
    }
    return page_of_statement(
        request,
        _statement(shape),
        size=CARDS_PAGE_SIZE,
        replacing=replacing,
        rows=lambda: card_rows(
            search_ads(text=text, kind=kind, category=category, sub_area=sub_area)
        ),
    )


@functools.cache
def _statement(shape: Shape) -> PageStatement:
    ads = search_ads(
        text=(WORD if shape.words else NO_WORD) if shape.text else "",
        kind=KIND if shape.kind else "",
        category=CATEGORY if shape.category else None,
        sub_area=SUB_AREA if shape.sub_area else None,
    )
    return PageStatement.prepare(card_rows(ads))
