"""Password spraying: one address trying a password or two on many accounts. Each address has
a budget of failed passwords per hour, across accounts and neighbourhoods, on the login pages
and the token endpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.support.cast import PASSWORD, client_for

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
SPRAYER = "203.0.113.7"
NEIGHBOUR = "203.0.113.8"


def _from(host: str, address: str, language: str = "nl") -> Client:
    return Client(HTTP_HOST=host, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)


def _spray(client: Client, path: str, tries: int) -> list[int]:
    """One wrong password each on `tries` different accounts."""
    return [
        client.post(
            path, {"username": f"person{n}@example.test", "password": "Zomer2026!"}
        ).status_code
        for n in range(tries)
    ]


def test_a_community_centre_keeps_logging_in_until_its_hourly_budget_is_spent(cast) -> None:
    # Given 29 typos from one address, each on another account (the default budget is 30)
    centre = _from(cast.a.host, SPRAYER)
    assert _spray(centre, LOGIN, 29) == [400] * 29
    credentials = {"username": cast.a.resident.user.email, "password": PASSWORD}
    assert centre.post(LOGIN, credentials).status_code == 302  # still fine
    # When the thirtieth fails
    assert _spray(_from(cast.a.host, SPRAYER), LOGIN, 1) == [400]
    # Then no password from that address is even tried, not even a right one
    refused = _from(cast.a.host, SPRAYER).post(LOGIN, credentials)
    assert refused.status_code == 429
    assert "te veel mislukte inlogpogingen van uw internetverbinding" in refused.content.decode()
    assert refused.wsgi_request.user.is_anonymous
    # Other addresses are not affected.
    assert _from(cast.a.host, NEIGHBOUR).post(LOGIN, credentials).status_code == 302


def test_the_budget_spans_neighbourhoods_and_the_token_endpoint_and_lasts_an_hour(
    cast, settings
) -> None:
    settings.LOGIN_FAILURES_PER_IP_PER_HOUR = 3
    assert _spray(_from(cast.a.host, SPRAYER), LOGIN, 2) == [400, 400]
    assert _spray(_from(cast.b.host, SPRAYER), TOKEN, 1) == [400]

    credentials = {"username": cast.b.resident.user.email, "password": PASSWORD}
    refused = _from(cast.b.host, SPRAYER, "en").post(TOKEN, credentials)
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith(
        "Too many failed logins came from your internet connection in the last hour."
    )
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = _from(cast.a.host, SPRAYER).post(LOGIN, {**credentials, "username": "x@y.test"})
    assert page.status_code == 429

    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        again = _from(cast.b.host, SPRAYER).post(TOKEN, credentials)
        assert again.status_code == 200 and again.json()["token"] == cast.b.resident.token


def test_right_passwords_and_two_step_codes_do_not_use_the_budget(cast, settings) -> None:
    settings.LOGIN_FAILURES_PER_IP_PER_HOUR = 1
    credentials = {"username": cast.a.resident.user.email, "password": PASSWORD}
    for _attempt in range(3):
        assert _from(cast.a.host, SPRAYER).post(LOGIN, credentials).status_code == 302
    broker = client_for(cast.a.host)
    staff = {"username": cast.a.broker.user.email, "password": PASSWORD, "otp_code": "000000"}
    assert broker.post(TOKEN, staff, REMOTE_ADDR=SPRAYER).status_code == 400  # the code step
    assert _from(cast.a.host, SPRAYER).post(LOGIN, credentials).status_code == 302
