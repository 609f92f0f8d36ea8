"""One pagination for every list, pages and API alike, with one default page size.

A page calls `page_of(request, rows)`; an API list gets `ApiPagination` from the DRF settings.
A list that shows more or fewer rows names its size here, never as a literal in a view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
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


class ApiPagination(pagination.PageNumberPagination):
    """`?page=` on every API list; the answer carries `count`, `next`, `previous`, `results`."""

    page_size = PAGE_SIZE
