"""Staff and operators are logged out after 30 idle minutes and 12 hours in all; residents'
sessions last as Django's do."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.support.cast import PLATFORM_HOST, client_for

pytestmark = pytest.mark.django_db

WORKSPACE = "/broker/"


def _is_signed_in(client: Client, path: str = "/") -> bool:
    return bool(client.get(path).wsgi_request.user.is_authenticated)


def test_a_broker_who_leaves_the_desk_for_half_an_hour_is_logged_out(cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        broker = cast.a.client(cast.a.broker)
        assert broker.get(WORKSPACE).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert broker.get(WORKSPACE).status_code == 200  # 29 minutes idle: still in
        clock.shift(timedelta(minutes=31))
        away = broker.get(WORKSPACE, HTTP_ACCEPT_LANGUAGE="en")
        assert away.status_code == 302 and away["Location"].startswith("/accounts/login/")
        login_page = broker.get(away["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "For your safety you were logged out. Please log in again." in login_page
        assert not _is_signed_in(broker)


def test_a_busy_broker_is_still_logged_out_after_twelve_hours(cast) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        broker = cast.a.client(cast.a.broker)
        for _step in range(24):  # a request every 29 minutes: never idle
            assert broker.get(WORKSPACE).status_code == 200
            clock.shift(timedelta(minutes=29))
        assert broker.get(WORKSPACE).status_code == 200  # 11 h 36
        clock.shift(timedelta(minutes=23))
        assert broker.get(WORKSPACE).status_code == 200  # 11 h 59 after the first page
        clock.shift(timedelta(minutes=2))
        assert broker.get(WORKSPACE).status_code == 302


def test_an_idle_operator_is_logged_out_and_the_timeouts_are_settings(cast, settings) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 120
    with time_machine.travel(timezone.now(), tick=False) as clock:
        operator = client_for(PLATFORM_HOST, None, cast.operator)
        assert operator.get("/").status_code == 200
        clock.shift(timedelta(seconds=121))
        assert operator.get("/").status_code == 302
        assert not _is_signed_in(operator)


def test_a_resident_stays_logged_in_for_days(cast) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        resident = cast.a.client(cast.a.resident)
        assert _is_signed_in(resident)
        clock.shift(timedelta(days=3))
        assert _is_signed_in(resident)
