"""Visits to the public pages, counted without cookies and without storing who visited."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.siteuse.models import Salt, Visitor
from tenants.siteuse.selectors import site_use_figures
from tenants.siteuse.services import count_visits, forget_old_salts

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IP = "203.0.113.77"


def _visit(place, path="/", user_agent=PHONE, ip=IP, member=None):  # type: ignore[no-untyped-def]
    return place.client(member).get(path, HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def _today(place) -> dict:  # type: ignore[no-untyped-def,type-arg]
    with tenant_context(place.neighbourhood):
        today = timezone.localdate()
        return site_use_figures(today, today)


def test_public_pages_count_visits_and_unique_visitors(cast) -> None:
    assert _visit(cast.a).status_code == 200
    _visit(cast.a, "/ads/")
    _visit(cast.a, user_agent=LAPTOP)
    _visit(cast.a, ip="203.0.113.78")
    figures = _today(cast.a)
    assert (figures["visits"], figures["unique_visitors"]) == (4, 3)
    assert figures["per_day"] == [(timezone.localdate(), 4)]
    assert _today(cast.b)["visits"] == 0  # counted in its own neighbourhood only


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0 Safari/537.36",
    ],
)
def test_bots_are_not_counted(cast, user_agent) -> None:
    _visit(cast.a, user_agent=user_agent)
    assert _today(cast.a)["visits"] == 0


def test_staff_the_api_missing_pages_and_posts_are_not_counted(cast) -> None:
    _visit(cast.a, member=cast.a.broker)
    _visit(cast.a, "/broker/")
    _visit(cast.a, "/api/v1/ads/")
    _visit(cast.a, "/no-such-page/")
    cast.a.client().post("/", HTTP_USER_AGENT=PHONE)
    cast.a.client().get("/", HTTP_USER_AGENT=PHONE, HTTP_HX_REQUEST="true")
    assert _today(cast.a)["visits"] == 0


def test_the_counter_sets_no_cookie_and_stores_no_address_or_user_agent(cast) -> None:
    response = _visit(cast.a)
    assert set(response.cookies) <= {"csrftoken"}  # the page's own form, nothing of the counter
    with tenant_context(cast.a.neighbourhood), connection.cursor() as cursor:
        for model in (Visitor, Salt):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            stored = repr(cursor.fetchall())
            for secret in (IP, "203.0.113", "iPhone", PHONE):
                assert secret not in stored, model
        # one visitor of the day and one of the month, each hashed with its own salt
        kinds = dict(Visitor.objects.values_list("kind", "visitor"))
        assert set(kinds) == {"day", "month"} and kinds["day"] != kinds["month"]


def test_regular_visitors_have_six_visits_in_the_whole_months_of_the_period(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        may = datetime.date(2025, 5, 10)
        regular, occasional = ("198.51.100.1", PHONE), ("198.51.100.2", PHONE)
        for offset in range(6):
            count_visits(
                day=may + datetime.timedelta(days=offset), start_month=1, visitors=[regular]
            )
        count_visits(day=may, start_month=1, visitors=[occasional], visits_each=5)
        figures = site_use_figures(datetime.date(2025, 5, 1), datetime.date(2025, 5, 31))
        assert figures["visits"] == 11
        assert figures["unique_visitors"] == 7  # one a day for six days, the other on the 10th
        assert figures["regular_visitors"] == 1
        assert len(figures["per_day"]) == 31 and figures["per_day"][9] == (may, 6)
        # a period without a whole month in it cannot tell regulars
        assert site_use_figures(may, may + datetime.timedelta(days=10))["regular_visitors"] == 0


def test_old_salts_are_forgotten(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        today = timezone.localdate()
        count_visits(
            day=today - datetime.timedelta(days=400), start_month=7, visitors=[(IP, PHONE)]
        )
        count_visits(day=today, start_month=7, visitors=[(IP, PHONE)])
        forget_old_salts(start_month=7, today=today)
        assert list(Salt.objects.filter(kind="day").values_list("day", flat=True)) == [today]
        assert Salt.objects.filter(kind="year").count() == 1
        # the counts stay, unlinkable now
        assert Visitor.objects.filter(kind="day").count() == 2
        assert Visitor.objects.filter(kind="month").count() == 2
