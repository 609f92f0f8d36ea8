"""Two-step codes under parallel tries, on a real server: twenty wrong codes at once, and no
more than the limit of them checked; the right code waits until the pause is over.

The server's threads see only committed rows, so this work commits: no test transaction
here (docs/testing.md, "Tests whose work must commit"); each test removes what it made."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context
from rest_framework.throttling import ScopedRateThrottle

from tenants.audit.models import AuditEvent
from tests.support.cast import PASSWORD, PLATFORM_HOST, activate, next_totp_code, totp_device
from tests.support.live_server import LiveSite
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import invite_user
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

PARALLEL = 20
EMAIL = "racer@race.test"
VERIFY = "/accounts/two-factor/verify/"
TOKEN = "/api/v1/auth/token/"


@dataclass(frozen=True)
class Racer:
    """A staff member (or operator) with an authenticator, committed, and where they log in."""

    user: User
    host: str
    neighbourhood: Neighbourhood | None

    def schema(self):  # type: ignore[no-untyped-def]
        return tenant_context(self.neighbourhood) if self.neighbourhood else nullcontext()

    def code(self) -> str:
        with self.schema():
            return next_totp_code(totp_device(self.user))

    def wrong_code(self) -> str:
        """A code of no time step near now (the device accepts one step either side)."""
        with self.schema():
            device = totp_device(self.user)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        near = set()
        for steps in range(-3, 4):
            totp.time = time.time() + steps * device.step
            near.add(totp.token())
        return next(f"{code:06d}" for code in range(1_000_000) if code not in near)


@pytest.fixture
def committed(cast, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        yield


@pytest.fixture(params=["broker", "operator"])
def racer(request, cast, committed) -> Iterator[Racer]:  # type: ignore[no-untyped-def]
    """A broker of neighbourhood A (its own schema) or an operator (public schema)."""
    if request.param == "broker":
        racer = Racer(_new_broker(cast.a.neighbourhood), cast.a.host, cast.a.neighbourhood)
    else:
        operator = User.objects.create_user(EMAIL, PASSWORD, role=Role.OPERATOR)
        racer = Racer(operator, PLATFORM_HOST, None)
    with racer.schema():
        totp_device(racer.user)
    yield racer
    with racer.schema():
        _remove(racer.user, audited=racer.neighbourhood is not None)


def _new_broker(neighbourhood: Neighbourhood) -> User:
    with tenant_context(neighbourhood):
        return activate(
            invite_user(email=EMAIL, full_name="Racer", role=Role.BROKER, invited_by=None)
        )


def _remove(user: User, *, audited: bool) -> None:
    """What the test committed in the racer's schema: their sessions and audit events (failed
    logins are counted in the cache, which is cleared after every test)."""
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
    if audited:  # operators' steps go to the security log, neighbourhoods have an audit log
        about_user = Q(target_type=User._meta.label_lower, target_id=str(user.pk))
        AuditEvent.objects.filter(Q(actor_id=user.pk) | about_user).delete()
    user.delete()


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every code the server really checks against an authenticator, in order."""
    checked: list[str] = []
    verify = TOTPDevice.verify_token

    def counting(device: TOTPDevice, token: str, *args: object, **kwargs: object) -> bool:
        checked.append(token)  # list.append is atomic: safe from the server's threads
        return verify(device, token, *args, **kwargs)

    monkeypatch.setattr(TOTPDevice, "verify_token", counting)
    return checked


def _post(site: LiveSite, host: str, path: str, form: dict[str, str], cookies: str = "") -> int:
    """POST a form to the live server under `host`; the status code."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    headers = {"Host": host, "Content-Type": "application/x-www-form-urlencoded"}
    if cookies:
        headers["Cookie"] = cookies
    try:
        connection.request("POST", path, body=urlencode(form), headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def _all_at_once(send: Callable[[], int]) -> list[int]:
    """Call `send` from PARALLEL threads released together; their results."""
    start = threading.Barrier(PARALLEL)

    def one() -> int:
        start.wait()
        return send()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return sorted(pool.map(lambda _i: one(), range(PARALLEL)))


def _past_the_password(racer: Racer) -> tuple[str, str]:
    """A session that passed the password step (committed): its cookies and CSRF token."""
    client = Client(HTTP_HOST=racer.host)
    login = client.post("/accounts/login/", {"username": racer.user.email, "password": PASSWORD})
    assert login.status_code == 302 and login["Location"].startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items()), csrf


def test_parallel_wrong_codes_on_the_code_page_are_checked_no_more_than_the_limit(
    racer: Racer, live_site: LiveSite, checks: list[str], settings
) -> None:
    limit = settings.TWO_FACTOR_FAILURE_LIMIT
    cookies, csrf = _past_the_password(racer)
    wrong = {"code": racer.wrong_code(), "csrfmiddlewaretoken": csrf}

    statuses = _all_at_once(lambda: _post(live_site, racer.host, VERIFY, wrong, cookies))

    assert len(checks) == limit  # one at a time: the rest found the pause and waited
    # Whoever was not checked is paused (429), and so is the try that reached the limit. A
    # checked try answers 400, or 429 when another try reached the limit before its page was
    # drawn: that order is the scheduler's, so only the bounds are certain.
    assert set(statuses) <= {400, 429}
    assert statuses.count(400) <= limit - 1
    assert statuses.count(429) >= PARALLEL - limit + 1
    right = {"code": racer.code(), "csrfmiddlewaretoken": csrf}
    assert _post(live_site, racer.host, VERIFY, right, cookies) == 429
    assert len(checks) == limit  # refused unchecked
    later = timezone.now() + timedelta(seconds=settings.TWO_FACTOR_COOLOFF_SECONDS + 1)
    with time_machine.travel(later):
        right = {"code": racer.code(), "csrfmiddlewaretoken": csrf}
        assert _post(live_site, racer.host, VERIFY, right, cookies) == 302


def test_parallel_wrong_codes_at_the_token_endpoint_are_checked_no_more_than_the_limit(
    racer: Racer, live_site: LiveSite, checks: list[str], settings, monkeypatch
) -> None:
    # The endpoint's own rate limit (10 a minute) would hide the race: lift it here.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "1000/min"})
    limit = settings.TWO_FACTOR_FAILURE_LIMIT
    credentials = {"username": racer.user.email, "password": PASSWORD}
    wrong = {**credentials, "otp_code": racer.wrong_code()}

    statuses = _all_at_once(lambda: _post(live_site, racer.host, TOKEN, wrong))

    assert len(checks) == limit
    assert statuses == [400] * PARALLEL
    assert _post(live_site, racer.host, TOKEN, {**credentials, "otp_code": racer.code()}) == 400
    assert len(checks) == limit
    later = timezone.now() + timedelta(seconds=settings.TWO_FACTOR_COOLOFF_SECONDS + 1)
    with time_machine.travel(later):
        right = {**credentials, "otp_code": racer.code()}
        assert _post(live_site, racer.host, TOKEN, right) == 200
