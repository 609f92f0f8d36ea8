"""The broker's newsletter pages as a broker reads them: the list of issues and the
confirmation before an issue goes to every subscriber."""

from __future__ import annotations

import pytest
from django.utils.formats import date_format
from django.utils.translation import override

from tests.tenants.mailings.sending import MONTH, draft

pytestmark = pytest.mark.django_db


def test_the_list_names_the_month_of_an_issue_not_its_first_day(cast) -> None:
    draft(cast.a, subject="Nieuws van de maand")
    page = cast.a.client(cast.a.broker).get("/broker/newsletters/")
    with override("nl"):
        month = date_format(MONTH, "YEAR_MONTH_FORMAT")  # "januari 2027"
        first_day = date_format(MONTH)  # "1 januari 2027"
    cell = f"<td>{month}</td>"
    assert cell in page.content.decode() and first_day not in page.content.decode()
