"""One pagination for every list, pages and API alike, with one default page size.

A page calls `page_of(request, rows)`; an API list gets `ApiPagination` from the DRF settings.
A list that shows more or fewer rows names its size here, never as a literal in a view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest
from rest_framework import pagination

from .combined_reads import kept_statement_run, swapped

PAGE_SIZE = 25
# Logs read as a long column (the audit log, sent mail, everyone at one routing step).
LOG_PAGE_SIZE = 50
# The public ads list shows cards, which take more room than rows.
CARDS_PAGE_SIZE = 20


def page_of(request: HttpRequest, rows: Sequence[Any] | Any, *, size: int = PAGE_SIZE) -> Page:
    """The page of `rows` that `?page=` asks for: the first for none or nonsense, the last
    for a number past the end (so an old link never answers 404)."""
    return Paginator(rows, size).get_page(request.GET.get("page"))


def page_in_one_query(request: HttpRequest, rows: QuerySet[Any], *, size: int) -> Page:
    """`page_of` for a queryset, in one query instead of two: the page's rows carry the
    total (`COUNT(*) OVER ()`, before the limit), so the paginator needs no count query. A
    page number that is not a plain positive number, or a page past the end, takes
    `page_of`'s way (what it answers for those is its own)."""
    number = _plain_number(request)
    if number < 1:
        return page_of(request, rows, size=size)
    start = (number - 1) * size
    found = list(rows.annotate(rows_in_all=Window(Count("pk")))[start : start + size])
    first = found[0] if found else None  # a row of values() or an object
    total = first["rows_in_all"] if isinstance(first, dict) else getattr(first, "rows_in_all", 0)
    return _page(request, found, total, number, size, lambda: rows)


@dataclass(frozen=True)
class PageStatement:
    """`page_in_one_query` for a `values()` queryset whose SQL is compiled once and kept:
    compiling the queryset (and building it) was ≈ 2 ms of CPU per list request. The page's
    limit and offset are parameters of the statement, and parameters that stand for a
    request's values (placeholders chosen when it was prepared) are swapped when it runs;
    the SQL names no schema (django-tenants' `search_path`), so it serves every
    neighbourhood, prepared by PostgreSQL for each (`kept_statement_run`)."""

    sql: str
    params: tuple[Any, ...]
    database: str

    @classmethod
    def prepare(cls, rows: QuerySet[Any]) -> PageStatement:
        counted = rows.annotate(rows_in_all=Window(Count("pk")))
        sql, params = counted.query.sql_with_params()
        return cls(f"{sql} LIMIT %s OFFSET %s", tuple(params), counted.db)

    def rows(self, start: int, size: int, replacing: dict[Any, Any]) -> tuple[list[Any], int]:
        """Rows `start` to `start + size` as `values()` dicts, and how many there are in all."""
        params = (*swapped(self.params, replacing), size, start)
        with kept_statement_run(self.database, self.sql, params) as ran:
            names = [column.name for column in ran.description]
            found = [dict(zip(names, row, strict=True)) for row in ran.fetchall()]
        total = found[0]["rows_in_all"] if found else 0
        for row in found:
            del row["rows_in_all"]
        return found, total


def page_of_statement(
    request: HttpRequest,
    statement: PageStatement,
    *,
    size: int,
    replacing: dict[Any, Any],
    rows: Callable[[], QuerySet[Any]],
) -> Page:
    """`page_in_one_query(request, rows(), size=size)` from a prepared statement: the
    queryset is built (by `rows`) only for the pages that take `page_of`'s way."""
    number = _plain_number(request)
    if number < 1:
        return page_of(request, rows(), size=size)
    found, total = statement.rows((number - 1) * size, size, replacing)
    return _page(request, found, total, number, size, rows)


def _plain_number(request: HttpRequest) -> int:
    """The page asked for; 0 for anything that is not a plain number."""
    try:
        return int(request.GET.get("page") or "1")
    except ValueError:
        return 0


def _page(
    request: HttpRequest,
    found: list[Any],
    total: int,
    number: int,
    size: int,
    rows: Callable[[], QuerySet[Any] | Sequence[Any]],
) -> Page:
    if not found and number > 1:  # past the end: `page_of`'s answer
        return page_of(request, rows(), size=size)
    paginator = Paginator(found, size)
    paginator.count = total  # instead of the paginator's own COUNT query (a cached_property)
    return Page(found, number, paginator)


class ApiPagination(pagination.PageNumberPagination):
    """`?page=` on every API list; the answer carries `count`, `next`, `previous`, `results`."""

    page_size = PAGE_SIZE
