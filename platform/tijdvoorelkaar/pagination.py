"""One pagination for every list, pages and API alike, with one default page size.

A page calls `page_of(request, rows)`; an API list gets `ApiPagination` from the DRF settings.
A list that shows more or fewer rows names its size here, never as a literal in a view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest
from rest_framework import pagination

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
    asked = request.GET.get("page") or "1"
    try:
        number = int(asked)
    except ValueError:
        number = 0
    if number < 1:
        return page_of(request, rows, size=size)
    start = (number - 1) * size
    found = list(rows.annotate(rows_in_all=Window(Count("pk")))[start : start + size])
    if not found and number > 1:
        return page_of(request, rows, size=size)
    first = found[0] if found else None  # a row of values() or an object
    paginator = Paginator(rows, size)
    # instead of the paginator's own COUNT query (`count` is a cached_property)
    paginator.count = (
        first["rows_in_all"] if isinstance(first, dict) else getattr(first, "rows_in_all", 0)
    )
    return Page(found, number, paginator)


class ApiPagination(pagination.PageNumberPagination):
    """`?page=` on every API list; the answer carries `count`, `next`, `previous`, `results`."""

    page_size = PAGE_SIZE
