"""Two-step login for staff and operators: enrolment, the code step, recovery codes, the
lockout, enforcement on pages and endpoints, the token endpoint, resets."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context
from rest_framework.authtoken.models import Token

from tenants.audit.models import AuditEvent
from tests.support.cast import (
    PASSWORD,
    PLATFORM_HOST,
    activate,
    client_for,
    next_totp_code,
    totp_device,
)
from tijdvoorelkaar.accounts import twofactor
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.selectors import staff_accounts
from tijdvoorelkaar.accounts.services import invite_user
from tijdvoorelkaar.accounts.twofactor import regenerate_recovery_codes
from tijdvoorelkaar.quickstart.demo_data import DEMO_TOTP_SECRET, ensure_demo_two_factor

pytestmark = pytest.mark.django_db

ADMIN_PAGE = "/manage/settings/"
STAFF_API = "/api/v1/staff/"


def _new_staff(place, role: str = Role.BROKER) -> User:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        invited = invite_user(
            email=f"new-{role}@example.test", full_name="Nieuw", role=role, invited_by=None
        )
        return activate(invited)


def _password_login(place, user: User, next_url: str = "") -> tuple[Client, str]:  # type: ignore[no-untyped-def]
    client = client_for(place.host)
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client, response["Location"]


def _code(place, user: User) -> str:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return next_totp_code(totp_device(user))


def _events(place, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return list(AuditEvent.objects.filter(action=action))


def test_a_new_staff_member_enrols_sees_recovery_codes_once_and_is_then_in(cast) -> None:
    admin = _new_staff(cast.a, Role.ADMIN)
    client, location = _password_login(cast.a, admin, ADMIN_PAGE)
    assert location.startswith("/accounts/two-factor/enrol/")
    # Until enrolled, staff pages send them back to the enrolment.
    page = client.get(ADMIN_PAGE)
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/enrol/")

    form = client.get(location)
    html = form.content.decode()
    assert form.status_code == 200
    assert 'src="data:image/svg+xml' in html and 'alt="' in html  # the QR code, with a label
    with tenant_context(cast.a.neighbourhood):
        device = TOTPDevice.objects.get(user=admin, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1)  # type: ignore[union-attr]
    assert len(secret.replace(" ", "")) == 32  # 20 bytes in base32, for typing by hand

    wrong = client.post(location, {"code": "000000", "next": ADMIN_PAGE})
    assert wrong.status_code == 400 and 'aria-invalid="true"' in wrong.content.decode()
    assert [e.detail["via"] for e in _events(cast.a, "twofactor.code_failed")] == ["enrolment"]

    with tenant_context(cast.a.neighbourhood):
        code = next_totp_code(device)
    confirmed = client.post(location, {"code": code, "next": ADMIN_PAGE})
    assert confirmed.status_code == 302
    assert confirmed["Location"].startswith("/accounts/two-factor/recovery-codes/")
    shown = client.get(confirmed["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    with tenant_context(cast.a.neighbourhood):
        assert sorted(codes) == sorted(
            StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)
        )
    assert len(codes) == 10
    saved = client.post(confirmed["Location"], {"next": ADMIN_PAGE})
    assert saved.status_code == 302 and saved["Location"] == ADMIN_PAGE
    # Shown once: afterwards the page sends them to the Security page instead.
    assert client.get(confirmed["Location"])["Location"] == "/accounts/security/"
    assert client.get(ADMIN_PAGE).status_code == 200
    assert [e.target_id for e in _events(cast.a, "twofactor.enrolled")] == [str(admin.pk)]


def test_enrolling_again_over_a_confirmed_device_needs_the_code_step(cast) -> None:
    broker = _new_staff(cast.a)
    with tenant_context(cast.a.neighbourhood):
        totp_device(broker)
    client, location = _password_login(cast.a, broker)
    assert location.startswith("/accounts/two-factor/verify/")
    sneaky = client.post("/accounts/two-factor/enrol/", {"code": "123456"})
    assert sneaky.status_code == 302 and "/two-factor/verify/" in sneaky["Location"]
    with tenant_context(cast.a.neighbourhood):
        assert TOTPDevice.objects.filter(user=broker).count() == 1


def test_staff_with_a_device_pass_the_code_step_and_return_where_they_were(cast) -> None:
    admin = cast.a.admin.user
    client, location = _password_login(cast.a, admin, ADMIN_PAGE)
    assert location.startswith("/accounts/two-factor/verify/")
    assert client.get(ADMIN_PAGE)["Location"].startswith("/accounts/two-factor/verify/")
    api = client.get(STAFF_API)
    assert api.status_code == 403 and "tweestapsverificatie" in api.json()["detail"]

    assert client.post(location, {"code": "12345"}).status_code == 400
    verified = client.post(location, {"code": _code(cast.a, admin), "next": ADMIN_PAGE})
    assert verified.status_code == 302 and verified["Location"] == ADMIN_PAGE
    assert client.get(ADMIN_PAGE).status_code == 200
    assert client.get(STAFF_API).status_code == 200


def test_the_next_address_must_stay_on_this_site(cast) -> None:
    client, location = _password_login(cast.a, cast.a.admin.user)
    response = client.post(
        location, {"code": _code(cast.a, cast.a.admin.user), "next": "https://evil.test/"}
    )
    assert response["Location"] == "/"


def test_a_recovery_code_works_once(cast) -> None:
    broker = cast.a.broker.user
    with tenant_context(cast.a.neighbourhood):
        totp_device(broker)
        codes = regenerate_recovery_codes(user=broker)
    client, location = _password_login(cast.a, broker)
    used = client.post(location, {"code": codes[0].upper()})  # case and spaces do not matter
    assert used.status_code == 302
    assert [e.detail for e in _events(cast.a, "twofactor.recovery_code_used")] == [
        {"via": "login", "left": 9}
    ]
    again, location = _password_login(cast.a, broker)
    spent = again.post(location, {"code": codes[0]})
    assert spent.status_code == 400
    assert again.post(location, {"code": codes[1]}).status_code == 302


def test_five_wrong_codes_pause_the_code_step(cast, settings) -> None:
    broker = cast.a.broker.user
    client, location = _password_login(cast.a, broker)
    for _attempt in range(4):
        assert client.post(location, {"code": "000000"}).status_code == 400
    assert client.post(location, {"code": "000000"}).status_code == 429
    locked = client.post(location, {"code": _code(cast.a, broker)})
    assert locked.status_code == 429  # even the right code waits
    assert len(_events(cast.a, "twofactor.code_failed")) == 5
    assert len(_events(cast.a, "twofactor.locked_out")) == 1
    # Codes are never written down, only how many failed.
    assert all(
        set(e.detail) == {"via", "failures"} for e in _events(cast.a, "twofactor.code_failed")
    )
    # The pause is per neighbourhood, like the password lockout.
    other, other_location = _password_login(cast.b, cast.b.broker.user)
    assert (
        other.post(other_location, {"code": _code(cast.b, cast.b.broker.user)}).status_code == 302
    )


def test_residents_are_not_asked_for_a_code(cast) -> None:
    client, location = _password_login(cast.a, cast.a.resident.user)
    assert location == "/"
    assert client.get("/accounts/two-factor/verify/").status_code == 403


def test_a_session_without_the_second_step_gets_nothing_from_staff_endpoints(cast) -> None:
    client = client_for(cast.a.host)
    with tenant_context(cast.a.neighbourhood):
        client.force_login(cast.a.admin.user)  # the password step only
    assert client.get(STAFF_API).status_code == 403
    assert client.get(ADMIN_PAGE).status_code == 302
    # A token was issued after a code: it counts as verified.
    token = client_for(cast.a.host).get(STAFF_API, HTTP_AUTHORIZATION=f"Token {cast.a.admin.token}")
    assert token.status_code == 200


def test_the_token_endpoint_asks_staff_for_a_code(cast) -> None:
    client = client_for(cast.a.host)
    credentials = {"username": cast.a.admin.user.email, "password": PASSWORD}
    missing = client.post("/api/v1/auth/token/", credentials)
    assert missing.status_code == 400 and "otp_code" in missing.json()
    wrong = client.post("/api/v1/auth/token/", {**credentials, "otp_code": "000000"})
    assert wrong.status_code == 400 and "otp_code" in wrong.json()
    # A missing code is not a guess; a wrong one counts.
    assert [e.detail["via"] for e in _events(cast.a, "twofactor.code_failed")] == ["token"]
    right = client.post(
        "/api/v1/auth/token/", {**credentials, "otp_code": _code(cast.a, cast.a.admin.user)}
    )
    assert right.status_code == 200 and right.json()["token"] == cast.a.admin.token


def test_staff_without_an_authenticator_get_no_token(cast) -> None:
    broker = _new_staff(cast.a)
    response = client_for(cast.a.host).post(
        "/api/v1/auth/token/",
        {"username": broker.email, "password": PASSWORD, "otp_code": "123456"},
    )
    assert response.status_code == 400 and "otp_code" in response.json()


def test_an_admin_resets_a_brokers_two_factor(cast) -> None:
    broker = cast.a.broker
    broker_client = cast.a.client(broker)
    assert broker_client.get("/accounts/security/").status_code == 200
    admin_client = cast.a.client(cast.a.admin)
    with tenant_context(cast.a.neighbourhood):
        assert staff_accounts().get(pk=broker.user.pk).two_factor_on

    response = admin_client.post(f"/manage/staff/{broker.user.pk}/", {"action": "reset-two-factor"})
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert not TOTPDevice.objects.filter(user=broker.user).exists()
        assert not Token.objects.filter(user=broker.user).exists()
    [event] = _events(cast.a, "twofactor.reset")
    assert event.actor_id == cast.a.admin.user.pk and event.target_id == str(broker.user.pk)
    assert event.detail == {"own": False}
    # The broker's verified session is no longer verified: off to set up a new app.
    again = broker_client.get("/accounts/security/")
    assert again.status_code == 302 and "/two-factor/enrol/" in again["Location"]
    old_token = client_for(cast.a.host).get(STAFF_API, HTTP_AUTHORIZATION=f"Token {broker.token}")
    assert old_token.status_code == 401


def test_a_broker_cannot_reset_anyone(cast) -> None:
    response = cast.a.client(cast.a.broker).post(
        f"/manage/staff/{cast.a.admin.user.pk}/", {"action": "reset-two-factor"}
    )
    assert response.status_code == 403
    api = cast.a.client(cast.a.broker).post(f"{STAFF_API}{cast.a.admin.user.pk}/reset_two_factor/")
    assert api.status_code == 403
    with tenant_context(cast.a.neighbourhood):
        assert TOTPDevice.objects.filter(user=cast.a.admin.user).exists()


def test_staff_renew_their_codes_and_start_over_on_the_security_page(cast) -> None:
    admin = cast.a.admin.user
    client = cast.a.client(cast.a.admin)
    renewed = client.post("/accounts/security/", {"action": "renew-codes"})
    assert renewed["Location"].startswith("/accounts/two-factor/recovery-codes/")
    codes = re.findall(
        r"<li><code>([a-z2-7]{8})</code></li>", client.get(renewed["Location"]).content.decode()
    )
    assert len(codes) == 10 and _events(cast.a, "twofactor.recovery_codes_renewed")

    reset = client.post("/accounts/security/", {"action": "reset"})
    assert reset["Location"].startswith("/accounts/two-factor/enrol/")
    with tenant_context(cast.a.neighbourhood):
        assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
        assert not StaticToken.objects.filter(device__user=admin).exists()
    assert client.get(ADMIN_PAGE)["Location"].startswith("/accounts/two-factor/enrol/")
    assert [e.detail for e in _events(cast.a, "twofactor.reset")] == [{"own": True}]


def test_operators_have_the_code_step_too(cast) -> None:
    operator = cast.operator.user
    totp_device(operator)
    client = client_for(PLATFORM_HOST)
    response = client.post("/accounts/login/", {"username": operator.email, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/two-factor/verify/")
    assert client.get("/")["Location"].startswith("/accounts/two-factor/verify/")
    assert client.get("/api/v1/neighbourhoods/").status_code == 403
    done = client.post(response["Location"], {"code": next_totp_code(totp_device(operator))})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/accounts/security/").status_code == 200  # their own Security page
    # An operator's token asks for the code as well.
    token = client_for(PLATFORM_HOST).post(
        "/api/v1/auth/token/", {"username": operator.email, "password": PASSWORD}
    )
    assert token.status_code == 400 and "otp_code" in token.json()


def test_the_code_pages_are_for_their_own_host_only(cast) -> None:
    # A neighbourhood's staff session means nothing on another neighbourhood's host.
    client = cast.a.client(cast.a.admin)
    client.defaults["HTTP_HOST"] = cast.b.host
    response = client.get("/accounts/security/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_demo_staff_use_the_published_key_and_recovery_codes_again_and_again(cast) -> None:
    broker = cast.a.broker.user
    with tenant_context(cast.a.neighbourhood):
        ensure_demo_two_factor(broker)
        device = TOTPDevice.objects.get(user=broker)
        assert twofactor.secret_of(device).replace(" ", "") == DEMO_TOTP_SECRET
        assert twofactor.verify_code(user=broker, code=next_totp_code(device)).device == device
        assert twofactor.verify_code(user=broker, code="11111111").recovery_code_used
        with pytest.raises(ValidationError):
            twofactor.verify_code(user=broker, code="11111111")
        ensure_demo_two_factor(broker)  # the next start of the demo
        assert twofactor.verify_code(user=broker, code="1111 1111").recovery_code_used
        assert TOTPDevice.objects.filter(user=broker).count() == 1
